namespace Entice.Tests.Structure;

/// <summary>
/// The C# files of a checkout, each with the namespace its folder stands for: under
/// <c>Entice.Actors</c> the folder path after <c>Entice</c> (<c>Crypto/Identity</c> is
/// <c>Entice.Crypto.Identity</c>), under the programs and the specs the project's own name first.
/// </summary>
internal sealed record SourceFile(string Path, string FolderNamespace, string Text);

internal static class SourceTree
{
    // Project folder -> namespace of its root folder.
    public static readonly IReadOnlyList<(string Folder, string Namespace)> Projects =
    [
        ("Entice.Actors", "Entice"),
        ("Entice.ClientNode", "Entice.ClientNode"),
        ("Entice.ServerNode", "Entice.ServerNode"),
        ("tests/Entice.Actors.Tests", "Entice.Tests"),
    ];

    /// <summary>The checkout this spec runs from: the first folder above the test binaries with Entice.sln.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Entice.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Entice.sln above {AppContext.BaseDirectory}");
    }

    public static IReadOnlyList<SourceFile> Read(string root, IEnumerable<(string Folder, string Namespace)> projects)
    {
        var files = new List<SourceFile>();
        foreach (var (folder, ns) in projects)
        {
            var projectDir = System.IO.Path.Combine(root, folder);
            if (!Directory.Exists(projectDir))
                continue;
            foreach (var path in Directory.EnumerateFiles(projectDir, "*.cs", SearchOption.AllDirectories))
            {
                var relative = System.IO.Path.GetRelativePath(projectDir, System.IO.Path.GetDirectoryName(path)!);
                var parts = relative.Split(System.IO.Path.DirectorySeparatorChar);
                if (parts[0] is "bin" or "obj")
                    continue;
                var folderNamespace = relative == "." ? ns : ns + "." + string.Join('.', parts);
                files.Add(new SourceFile(System.IO.Path.GetRelativePath(root, path), folderNamespace, File.ReadAllText(path)));
            }
        }
        return files;
    }
}
