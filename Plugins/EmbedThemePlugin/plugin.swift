import Foundation
import PackagePlugin

/// Embeds the repository's `themes/default/` into the target it is applied to.
@main
struct EmbedThemePlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let themeDirectory = context.package.directoryURL.appending(path: "themes/default")
    var inputs: [URL] = []
    if let enumerator = FileManager.default.enumerator(
      at: themeDirectory, includingPropertiesForKeys: [.isRegularFileKey])
    {
      for case let url as URL in enumerator
      where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
        inputs.append(url)
      }
    }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedThemeFiles.swift")
    return [
      .buildCommand(
        displayName: "Embedding themes/default",
        executable: try context.tool(named: "ThemeEmbedder").url,
        arguments: [themeDirectory.path, output.path],
        inputFiles: inputs,
        outputFiles: [output]
      )
    ]
  }
}
