namespace Entice.Web.Tests.Support;

/// <summary>Paths in the repository this test assembly was built from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string WebRoot => System.IO.Path.Combine(Root, "Entice.ClientNode", "Ui", "Web", "wwwroot");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Entice.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Entice.sln not found above " + AppContext.BaseDirectory);
    }
}
