import Diagnostics
import Foundation
import Testing

@testable import DevServer

@Suite struct SitePathTests {
  let files: Set<String> = [
    "index.html", "cases/jardins/index.html", "style.css", "data/cases.json", "404.html",
  ]

  func lookup(_ path: String) -> SiteLookup {
    SitePath.lookup(path) { files.contains($0) }
  }

  @Test func mapsPathsToFileKeys() {
    #expect(lookup("/") == .file("index.html"))
    #expect(lookup("/cases/jardins/") == .file("cases/jardins/index.html"))
    #expect(lookup("/style.css") == .file("style.css"))
    #expect(lookup("/data/cases.json") == .file("data/cases.json"))
    #expect(lookup("/cases/jardins") == .redirect("/cases/jardins/"))
    #expect(lookup("/cases/") == .notFound)
    #expect(lookup("/missing") == .notFound)
    #expect(lookup("/style.css/") == .notFound)
  }

  @Test(arguments: [
    "/..", "/../", "/../etc/passwd", "/..%2f..%2fetc/passwd", "/%2e%2e/", "/%2E%2E/index.html",
    "/cases/%2e%2e/index.html", "/cases/./jardins/", "/%c0%ae%c0%ae/", "/%c0%ae%c0%ae/index.html",
    "/a%00b", "/%00", "/%252e%252e/", "/%252e%252e/index.html", "/..%5c..%5cindex.html",
    "/cases%2fjardins/", "/cases%2Fjardins%2Findex.html", "/%ff", "/%e2%82", "/%zz", "/%2",
    "//index.html", "/cases//jardins/", "index.html", "", "/.%2e/", "/%2e./",
    "/cases\\..\\index.html",
  ])
  func refusesTraversalEncodings(_ path: String) {
    #expect(lookup(path) == .notFound)
  }

  @Test func decodesOnceAndChecksEachSegment() {
    #expect(SitePath.segments("/a%20b/") == ["a b", ""])
    #expect(SitePath.segments("/%252e") == ["%2e"])
    #expect(SitePath.segments("/caf%C3%A9") == ["café"])
    #expect(SitePath.segments("/%c0%ae") == nil)
    #expect(SitePath.segments("/a%5cb") == nil)
    #expect(SitePath.segments("/a%2fb") == nil)
  }

  @Test func contentNamedAssets() {
    #expect(SitePath.isContentNamed("assets/style.0123456789.css"))
    #expect(SitePath.isContentNamed("assets/search/page.abcdef0123.js"))
    #expect(!SitePath.isContentNamed("assets/style.css"))
    #expect(!SitePath.isContentNamed("assets/map.0123456789.svg"))
    #expect(!SitePath.isContentNamed("cases/x.0123456789.css"))
    #expect(!SitePath.isContentNamed("assets/style.012345678z.css"))
  }

  @Test func contentTypesByExtension() {
    #expect(SitePath.contentType(for: "index.html") == "text/html; charset=utf-8")
    #expect(SitePath.contentType(for: "a/app.js") == "text/javascript; charset=utf-8")
    #expect(SitePath.contentType(for: "data/localities.geojson") == "application/geo+json")
    #expect(SitePath.contentType(for: "img/logo.PNG") == "image/png")
    #expect(SitePath.contentType(for: "feed.xml") == "application/xml")
    #expect(SitePath.contentType(for: "README") == "application/octet-stream")
  }
}

@Suite struct HostPolicyTests {
  @Test func loopbackAllowsOnlyLocalNames() {
    let policy = HostPolicy(boundAddress: "127.0.0.1", extraNames: ["dev.test"], machineName: "box")
    for host in [
      "localhost", "localhost:8000", "127.0.0.1:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST",
    ] {
      #expect(policy.allows(hostHeader: host), "\(host)")
    }
    for host in [
      "evil.com", "evil.com:8000", "127.0.0.1.evil.com", "192.168.1.5:8000", "box", "dev.test", "",
      "localhost:80:80", "[::1", "local host",
    ] {
      #expect(!policy.allows(hostHeader: host), "\(host)")
    }
    #expect(!policy.allows(hostHeader: nil))
  }

  @Test func nonLoopbackAlsoAllowsLiteralsMachineAndNamedHosts() {
    let policy = HostPolicy(boundAddress: "0.0.0.0", extraNames: ["Dev.Test"], machineName: "Box")
    for host in [
      "192.168.1.5:8000", "[fe80::1]:8000", "box", "box:8000", "dev.test:8000", "localhost",
    ] {
      #expect(policy.allows(hostHeader: host), "\(host)")
    }
    for host in ["evil.com", "box.evil.com", "1.2.3.4.nip.io"] {
      #expect(!policy.allows(hostHeader: host), "\(host)")
    }
  }

  @Test func boundAddressIsAllowed() {
    let policy = HostPolicy(boundAddress: "::1")
    #expect(policy.isLoopback)
    #expect(policy.allows(hostHeader: "[::1]:9000"))
    let lan = HostPolicy(boundAddress: "10.0.0.2")
    #expect(!lan.isLoopback)
    #expect(lan.allows(hostHeader: "10.0.0.2:8000"))
  }

  @Test func originMustBeTheSameSite() {
    let policy = HostPolicy(boundAddress: "127.0.0.1")
    #expect(policy.allows(origin: nil, hostHeader: "127.0.0.1:8000"))
    #expect(policy.allows(origin: "http://127.0.0.1:8000", hostHeader: "127.0.0.1:8000"))
    #expect(!policy.allows(origin: "http://evil.com", hostHeader: "127.0.0.1:8000"))
    #expect(!policy.allows(origin: "http://127.0.0.1:9999", hostHeader: "127.0.0.1:8000"))
    #expect(!policy.allows(origin: "null", hostHeader: "127.0.0.1:8000"))
  }
}

@Suite struct LiveReloadTests {
  @Test func scriptURLCarriesAHashOfTheScript() {
    #expect(LiveReload.scriptURL.hasPrefix(LiveReload.scriptPath + "?v="))
    #expect(LiveReload.scriptURL.count > LiveReload.scriptPath.count + 10)
  }

  @Test func injectsBeforeTheLastClosingBody() {
    let html = Data("<html><body><p>a</p></body></html>".utf8)
    let out = String(decoding: LiveReload.inject(into: html, build: 3), as: UTF8.self)
    #expect(
      out
        == "<html><body><p>a</p><script src=\"\(LiveReload.scriptURL)\" data-proximus-build=\"3\" defer></script>\n</body></html>"
    )
  }

  @Test func injectsCaseInsensitivelyOrAppends() {
    let upper = String(
      decoding: LiveReload.inject(into: Data("<BODY>x</BODY>".utf8), build: 1), as: UTF8.self)
    #expect(upper.hasSuffix("</script>\n</BODY>"))
    let bare = String(decoding: LiveReload.inject(into: Data("<p>x".utf8), build: 1), as: UTF8.self)
    #expect(bare.hasPrefix("<p>x<script"))
  }

  @Test func diagnosticsAsJSONAndEvents() throws {
    let diagnostic = Diagnostics.Diagnostic(
      .error, "bad <b>", at: .init(file: "content/a.md", line: 2, column: 8), sourceLine: "title: ["
    )
    let json = LiveReload.json([diagnostic])
    let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
    #expect(decoded?.first?["file"] as? String == "content/a.md")
    #expect(decoded?.first?["line"] as? Int == 2)
    #expect(decoded?.first?["message"] as? String == "bad <b>")
    #expect(
      String(decoding: LiveReload.event("error", data: "a\nb"), as: UTF8.self)
        == "event: error\ndata: a\ndata: b\n\n")
  }
}

@Suite struct StylesheetSwapTests {
  func site(_ css: String, _ html: String) -> [String: Data] {
    [css: Data("body{}".utf8), "index.html": Data(html.utf8), "data.json": Data("[]".utf8)]
  }

  @Test func pairsFingerprintedStylesheets() {
    let old = site("style.abcdef12.css", "<link href=\"/style.abcdef12.css\">")
    var new = site("style.99887766.css", "<link href=\"/style.99887766.css\">")
    new["style.99887766.css"] = Data("body{color:red}".utf8)
    #expect(
      Rebuilder.stylesheetSwap(from: old, to: new) == ["/style.abcdef12.css": "/style.99887766.css"]
    )
  }

  @Test func refusesWhenPagesChangedOtherwise() {
    let old = site("style.abcdef12.css", "<p>a</p><link href=\"/style.abcdef12.css\">")
    let new = site("style.99887766.css", "<p>b</p><link href=\"/style.99887766.css\">")
    #expect(Rebuilder.stylesheetSwap(from: old, to: new) == nil)
  }
}
