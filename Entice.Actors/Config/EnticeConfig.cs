using System.Reflection;
using Akka.Configuration;

namespace Entice.Config;

/// <summary>
/// Loads the HOCON configuration of a node: the defaults from <c>hocon/*.conf</c> (embedded in this
/// assembly, so a bare start always has every setting), with an optional file layered over them.
/// </summary>
public static class EnticeConfig
{
    public static Akka.Configuration.Config Server(string? overrideFile = null) => Load("server.conf", overrideFile);

    /// <summary>The cluster settings (<c>hocon/cluster.conf</c>) with the same override file over them.</summary>
    public static Akka.Configuration.Config Cluster(string? overrideFile = null) => Load("cluster.conf", overrideFile);

    public static Akka.Configuration.Config Client(string? overrideFile = null) => Load("client.conf", overrideFile);

    public static Akka.Configuration.Config Defaults(string fileName)
    {
        var resource = "Entice.hocon." + fileName;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded configuration {resource} is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static Akka.Configuration.Config Load(string fileName, string? overrideFile)
    {
        var defaults = Defaults(fileName);
        if (string.IsNullOrEmpty(overrideFile))
            return defaults;
        if (!File.Exists(overrideFile))
            throw new FileNotFoundException($"configuration file not found: {overrideFile}", overrideFile);
        return ParseFile(overrideFile).WithFallback(defaults);
    }

    /// <summary>
    /// A user's HOCON file; any failure is a <see cref="FormatException"/> naming the file. Akka's parser loops forever on some unbalanced brackets, so a file whose
    /// brackets do not pair up is refused first (<see cref="HoconShape"/>), naming the file and the line.
    /// </summary>
    public static Akka.Configuration.Config ParseFile(string file)
    {
        var text = File.ReadAllText(file);
        if (HoconShape.Problem(text) is { } problem)
            throw new FormatException($"{file}: not valid HOCON ({problem})");
        try
        {
            var config = ConfigurationFactory.ParseString(text);
            _ = config.Root; // parsing is lazy in places: fail here, naming the file
            return config;
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or IOException or UnauthorizedAccessException))
        {
            throw new FormatException($"{file}: not valid HOCON ({ex.Message.ReplaceLineEndings(" ")})", ex);
        }
    }
}
