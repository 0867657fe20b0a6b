namespace Entice.Tests.Support;

/// <summary>Fresh temporary directory paths for one spec (not created), all removed when it is disposed.</summary>
internal sealed class TempDirs : IDisposable
{
    private readonly List<string> _dirs = [];

    public string New(string prefix = "entice-test-")
    {
        var dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        _dirs.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
            StoreDirs.Delete(dir);
    }
}
