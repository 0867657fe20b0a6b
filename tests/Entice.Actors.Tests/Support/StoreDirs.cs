namespace Entice.Tests.Support;

internal static class StoreDirs
{
    /// <summary>
    /// Deletes a test's server data directory. SQLite keeps pooled connections (and so the file) open
    /// after the store is disposed; they are released first.
    /// </summary>
    public static void Delete(string dir)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }
}
