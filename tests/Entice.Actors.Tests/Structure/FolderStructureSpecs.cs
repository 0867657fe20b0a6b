using System.Text.RegularExpressions;

namespace Entice.Tests.Structure;

/// <summary>
/// The structure docs/ARCHITECTURE.md draws, kept: folders form layers (no folder uses, through any
/// number of others, a folder that uses it), and every file's namespace is its folder's.
/// </summary>
public sealed partial class FolderStructureSpecs
{
    /// <summary>
    /// Edges still allowed in a cycle: the transports read the server's and client's settings records
    /// (helper chan-wire gives them a record of their own). The lead empties this list at that merge.
    /// </summary>
    private static readonly IReadOnlyList<SourceFile> Tree = SourceTree.Read(SourceTree.Root(), SourceTree.Projects);

    [Fact]
    public void No_folder_uses_a_folder_that_uses_it()
    {
        var programs = Tree.Where(f => !f.FolderNamespace.StartsWith("Entice.Tests", StringComparison.Ordinal)).ToList();
        var graph = FolderGraph.Of(programs);

        var cycles = graph.Cycles(new HashSet<(string, string)>());

        Assert.True(cycles.Count == 0, "folder-level import cycles:\n" + string.Join("\n", cycles.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void Every_file_is_in_the_namespace_of_its_folder()
    {
        var wrong = Tree
            .Select(f => (f.Path, f.FolderNamespace, Declared: DeclaredNamespace(f.Text)))
            .Where(f => f.Declared is null ? !IsProgramLevel(f.Path) : f.Declared != f.FolderNamespace)
            .Select(f => $"{f.Path}: namespace {f.Declared ?? "(none)"}, its folder is {f.FolderNamespace}")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_graph_reads_every_kind_of_reference_and_names_the_cycle()
    {
        // A made-up tree: A uses B by a using line, B uses C by a qualified name, C uses A through a
        // name qualified from an enclosing namespace; D uses A only in a comment and a string.
        SourceFile F(string ns, string text) => new($"{ns}.cs", ns, $"namespace {ns};\n{text}");
        var files = new[]
        {
            F("Entice.A", "using Entice.B;\ninternal sealed class Alpha { }"),
            F("Entice.B", "internal sealed class Beta { int X => Entice.C.Gamma.Value; }"),
            F("Entice.C", "internal static class Gamma { public const int Value = 1; static object Y => A.Alpha.Make; }"),
            F("Entice.D", "// using Entice.A;\ninternal sealed class Delta { string S = \"Entice.A.Alpha.X\"; int A => 1; int Z => A.CompareTo(1); }"),
        };

        var graph = FolderGraph.Of(files);
        var cycles = graph.Cycles(new HashSet<(string, string)>());

        var cycle = Assert.Single(cycles);
        Assert.Equal(["Entice.A", "Entice.B", "Entice.C", "Entice.A"], cycle);
        Assert.Empty(graph.Files("Entice.D", "Entice.A"));
        Assert.Empty(graph.Cycles(new HashSet<(string, string)> { ("Entice.C", "Entice.A") }));
        Assert.Contains("Entice.C -> Entice.A (Entice.C.cs)", Describe(graph, cycle), StringComparison.Ordinal);
    }

    private static string Describe(FolderGraph graph, IReadOnlyList<string> cycle) =>
        string.Join(" -> ", cycle) + "\n" + string.Join("\n", cycle.Zip(cycle.Skip(1),
            (from, to) => $"  {from} -> {to} ({string.Join(", ", graph.Files(from, to))})"));

    private static string? DeclaredNamespace(string text) =>
        NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups["ns"].Value : null;

    // Top-level statements and global usings have no namespace.
    private static bool IsProgramLevel(string path) => Path.GetFileName(path) is "Program.cs" or "GlobalUsings.cs";

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
