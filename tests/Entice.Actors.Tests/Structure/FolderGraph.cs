using System.Text.RegularExpressions;

namespace Entice.Tests.Structure;

/// <summary>
/// Which folder (namespace) uses which, read from the source: every <c>using</c> line (plain, static,
/// alias, global) and every qualified name in code (<c>Entice.Wire.Names.Canonical</c>, or
/// <c>Views.PeerText</c> from inside <c>Entice.ClientNode.Ui</c>), each taken to the longest namespace of
/// the tree it starts with. Comments and string literals are skipped. Not counted: a type of an
/// enclosing namespace named without qualification (code in <c>Entice.Client.Messages</c> sees
/// <c>Entice.Client.ChatEvent</c> with no using line), which C# resolves by scope, not by import.
/// </summary>
internal sealed partial class FolderGraph
{
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _types = new(StringComparer.Ordinal);

    private FolderGraph(IReadOnlyList<SourceFile> files)
    {
        Namespaces = new SortedSet<string>(files.Select(f => f.FolderNamespace), StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match m in TypeDeclaration().Matches(WithoutCommentsAndStrings(file.Text)))
                _types.Add(file.FolderNamespace + "." + m.Groups["name"].Value);
        }
        foreach (var file in files)
        {
            var code = WithoutCommentsAndStrings(file.Text);
            foreach (Match m in UsingLine().Matches(code))
                Add(file, Longest(m.Groups["name"].Value));
            var body = UsingLine().Replace(code, "");
            body = NamespaceLine().Replace(body, "");
            foreach (Match m in QualifiedName().Matches(body))
                Add(file, Resolve(file.FolderNamespace, m.Value));
        }
    }

    /// <summary>The folders' namespaces.</summary>
    public SortedSet<string> Namespaces { get; }

    public static FolderGraph Of(IReadOnlyList<SourceFile> files) => new(files);

    /// <summary>The files through which <paramref name="from"/> uses <paramref name="to"/>.</summary>
    public IReadOnlyCollection<string> Files(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var files) ? files : [];

    public IEnumerable<(string From, string To)> Edges =>
        _edges.SelectMany(e => e.Value.Keys.Select(to => (e.Key, to)));

    /// <summary>
    /// One cycle per strongly connected set of folders (ignoring <paramref name="allowed"/> edges), as
    /// the folders in order, the first repeated at the end; none when the graph is a layering.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlySet<(string From, string To)> allowed)
    {
        var next = Namespaces.ToDictionary(n => n, n => _edges.TryGetValue(n, out var t)
            ? t.Keys.Where(to => !allowed.Contains((n, to))).OrderBy(x => x, StringComparer.Ordinal).ToList()
            : [], StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var set in StronglyConnected(next).Where(s => s.Count > 1))
            cycles.Add(CycleWithin(set, next));
        return cycles;
    }

    private void Add(SourceFile file, string? to)
    {
        if (to is null || to == file.FolderNamespace)
            return;
        if (!_edges.TryGetValue(file.FolderNamespace, out var targets))
            _edges[file.FolderNamespace] = targets = new(StringComparer.Ordinal);
        if (!targets.TryGetValue(to, out var files))
            targets[to] = files = new(StringComparer.Ordinal);
        files.Add(file.Path);
    }

    // The longest namespace of the tree that the dotted name starts with.
    private string? Longest(string dotted)
    {
        var parts = dotted.Split('.');
        for (var n = parts.Length; n > 0; n--)
        {
            var candidate = string.Join('.', parts, 0, n);
            if (Namespaces.Contains(candidate))
                return candidate;
        }
        return null;
    }

    // A qualified name in code: fully (Entice.X.Y.Type) or from an enclosing namespace (Views.Type
    // inside Entice.ClientNode.Ui, which C# looks up there before any using line). Only when a type of
    // that namespace follows: a property that happens to share a folder's name (Identity.DhKey) is none.
    private string? Resolve(string from, string dotted)
    {
        if (dotted.StartsWith("Entice.", StringComparison.Ordinal))
            return TypeIn(dotted);
        var first = dotted.Split('.')[0];
        for (var scope = from; scope.Length > 0; scope = scope.Contains('.', StringComparison.Ordinal) ? scope[..scope.LastIndexOf('.')] : "")
        {
            if (Namespaces.Contains(scope + "." + first))
                return TypeIn(scope + "." + dotted);
        }
        return null;
    }

    // The namespace of the tree the dotted name starts with, if a type declared there comes next.
    private string? TypeIn(string dotted)
    {
        if (Longest(dotted) is not { } ns || dotted.Length <= ns.Length)
            return null;
        var type = dotted[(ns.Length + 1)..].Split('.')[0];
        return _types.Contains(ns + "." + type) ? ns : null;
    }

    private static List<List<string>> StronglyConnected(Dictionary<string, List<string>> next)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var sets = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next[v])
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] != index[v])
                return;
            var set = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                set.Add(x);
            }
            while (x != v);
            sets.Add(set);
        }
        foreach (var v in next.Keys.OrderBy(x => x, StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
                Visit(v);
        }
        return sets;
    }

    // A shortest way from the set's first folder back to itself, inside the set.
    private static List<string> CycleWithin(List<string> set, Dictionary<string, List<string>> next)
    {
        var members = new HashSet<string>(set, StringComparer.Ordinal);
        var start = set.OrderBy(x => x, StringComparer.Ordinal).First();
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in next[v].Where(members.Contains))
            {
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var at = v; at != start; at = cameFrom[at])
                        path.Insert(1, at);
                    path.Add(start);
                    return path;
                }
                if (cameFrom.TryAdd(w, v))
                    queue.Enqueue(w);
            }
        }
        throw new InvalidOperationException("a strongly connected set without a cycle");
    }

    private static string WithoutCommentsAndStrings(string text)
    {
        var noComments = Comment().Replace(text, m => new string('\n', m.Value.Count(c => c == '\n')));
        return StringLiteral().Replace(noComments, "\"\"");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"(?:\$@|@\$|@|\$)?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<name>[A-Za-z_][\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record|delegate\s+[\w<>?,\[\] ]+?)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")]
    private static partial Regex QualifiedName();
}
