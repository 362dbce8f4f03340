import Foundation
import Synchronization

/// Watches a site's sources (`content/`, `themes/` recursively, `proximus.yml`) and calls back
/// once per burst of changes, after ~10 ms without further events. Only completed
/// writes are reported (close-after-write, moves, creations, deletions), so a short quiet time is
/// enough; a burst that lasts longer becomes two updates, which the rebuild queue handles.
public final class SourceWatcher: Sendable {
  private let root: String
  private let inotify: Inotify
  private let stopped = Atomic(false)
  /// Quiet time that ends a burst of events.
  private let debounce: Int32

  /// The folders under the root that are watched recursively.
  public static let watchedFolders = ["content", "themes"]
  public static let watchedFiles = ["proximus.yml"]

  public init(root: URL, debounceMilliseconds: Int32 = 10) throws(Inotify.Failure) {
    self.root = root.standardizedFileURL.path
    self.inotify = try Inotify()
    self.debounce = debounceMilliseconds
  }

  /// Whether a changed file or folder name is noise: dot-files (`.proximus/`, `.git`, vim's
  /// `.x.swp`), editor backups and temporaries.
  public static func isIgnored(_ name: String) -> Bool {
    name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx")
      || name.hasSuffix(".tmp") || name.hasPrefix("#") || name == "4913"
  }

  public func stop() {
    stopped.store(true, ordering: .relaxed)
  }

  /// Blocks, watching, until ``stop()``; `onChange` gets the changed paths relative to the root.
  public func run(onChange: @Sendable ([String]) -> Void) {
    var folders: [Int32: String] = [:]
    let rootWatch = try? inotify.addWatch(root, mask: Inotify.changes | Inotify.onlyDirectory)
    func watchTree(_ relative: String) {
      let path = root + "/" + relative
      guard let watch = try? inotify.addWatch(path, mask: Inotify.changes | Inotify.onlyDirectory)
      else { return }
      folders[watch] = relative
      let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      for child in children where !Self.isIgnored(child) {
        var isFolder: ObjCBool = false
        let childPath = path + "/" + child
        // Symbolic links are not followed: attributesOfItem does not resolve them.
        let type = (try? FileManager.default.attributesOfItem(atPath: childPath))?[.type]
        if type as? FileAttributeType == .typeDirectory,
          FileManager.default.fileExists(atPath: childPath, isDirectory: &isFolder),
          isFolder.boolValue
        {
          watchTree(relative + "/" + child)
        }
      }
    }
    for folder in Self.watchedFolders { watchTree(folder) }

    var pending: [String] = []
    /// Paths created in this burst: one that is gone again when it ends (the temporary file of
    /// `sed -i` or an editor, renamed over the real one) changed nothing.
    var created: Set<String> = []
    while !stopped.load(ordering: .relaxed) {
      let events = inotify.read(timeout: pending.isEmpty ? 200 : debounce)
      if events.isEmpty {
        let changed = pending.filter {
          !created.contains($0) || FileManager.default.fileExists(atPath: root + "/" + $0)
        }
        if !changed.isEmpty { onChange(changed) }
        pending = []
        created = []
        continue
      }
      for event in events {
        if event.mask & Inotify.queueOverflow != 0 {
          pending.append("")
          continue
        }
        if event.watch == rootWatch {
          if Self.watchedFiles.contains(event.name) {
            pending.append(event.name)
          } else if Self.watchedFolders.contains(event.name) {
            if event.isDirectory, event.mask & (Inotify.create | Inotify.movedTo) != 0 {
              watchTree(event.name)
            }
            pending.append(event.name)
          }
          continue
        }
        guard let folder = folders[event.watch] else { continue }
        if event.mask & Inotify.ignored != 0 {
          folders[event.watch] = nil
          continue
        }
        if event.name.isEmpty {
          // The watched folder itself was deleted or moved.
          pending.append(folder)
          continue
        }
        guard !Self.isIgnored(event.name) else { continue }
        let relative = folder + "/" + event.name
        if event.mask & (Inotify.create | Inotify.movedTo) != 0 {
          if event.isDirectory { watchTree(relative) }
          created.insert(relative)
        }
        pending.append(relative)
      }
    }
  }
}
