using System.Net;
using Entice.Client.Memory;
using Entice.Tests.Support;

namespace Entice.Tests.Client.Memory;

/// <summary>The remembered settings file: what goes in comes back, privately, and a damaged one is a clear error.</summary>
public sealed class ClientMemorySpecs : IDisposable
{
    private readonly TempDirs _dirs = new();

    private string NewDir()
    {
        var dir = _dirs.New();
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void What_is_saved_is_loaded_back_and_only_its_owner_can_read_it()
    {
        var dir = NewDir();
        var memory = new ClientMemory("alice", [new RememberedServer("192.168.1.5:42000", "3bf3 3d9a"), new RememberedServer("[fe80::1]:42000")], ["lobby", "games"]);
        memory.Save(dir);

        var back = ClientMemory.Load(dir)!;
        Assert.Equal("alice", back.Name);
        Assert.Equal(memory.Servers, back.Servers);
        Assert.Equal(["lobby", "games"], back.Rooms);
        Assert.Equal([ClientMemory.FileName], Directory.GetFiles(dir).Select(Path.GetFileName)); // no temp file left
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ClientMemory.PathIn(dir)));
    }

    [Fact]
    public void No_file_is_nothing_remembered() => Assert.Null(ClientMemory.Load(NewDir()));

    [Theory]
    [InlineData("garbage")]
    [InlineData("{\"version\": 1, \"name\": \"alice\", \"rooms\": [\"lobby\"]")]
    [InlineData("{\"version\": 2, \"name\": \"alice\"}")]
    [InlineData("{\"version\": 1, \"name\": \"al\\u001bice\"}")]
    [InlineData("{\"version\": 1, \"name\": \"alice\", \"rooms\": [\"no spaces\"]}")]
    [InlineData("{\"version\": 1, \"name\": \"alice\", \"servers\": [{\"address\": \"nohostport\"}]}")]
    [InlineData("{\"version\": 1, \"name\": \"alice\", \"servers\": [null]}")]
    [InlineData("{\"version\": 1, \"name\": \"alice\", \"rooms\": 5}")]
    public void A_damaged_file_is_one_clear_error_naming_it(string content)
    {
        var dir = NewDir();
        File.WriteAllText(ClientMemory.PathIn(dir), content);
        var ex = Assert.Throws<ClientMemory.DamagedException>(() => ClientMemory.Load(dir));
        Assert.Contains(ClientMemory.PathIn(dir), ex.Message, StringComparison.Ordinal);
        Assert.Contains("fix or delete", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_file_is_not_read()
    {
        var dir = NewDir();
        File.WriteAllText(ClientMemory.PathIn(dir), "{\"version\": 1, \"name\": \"alice\", \"rooms\": [" + string.Join(",", Enumerable.Repeat("\"lobby\"", 20_000)) + "]}");
        Assert.Throws<ClientMemory.DamagedException>(() => ClientMemory.Load(dir));
    }

    [Fact]
    public void The_servers_used_last_come_first_and_keep_the_key_fingerprint_known_for_them()
    {
        var memory = new ClientMemory("alice", [new RememberedServer("10.0.0.1:42000", "aaaa"), new RememberedServer("10.0.0.2:42000")], []);
        var used = memory.Used([new DnsEndPoint("10.0.0.2", 42000), new DnsEndPoint("10.0.0.1", 42000)]);
        Assert.Equal([new RememberedServer("10.0.0.2:42000"), new RememberedServer("10.0.0.1:42000", "aaaa")], used.Servers);
        var many = Enumerable.Range(1, 40).Aggregate(memory, (m, i) => m.Used([new DnsEndPoint($"10.1.0.{i}", 42000)]));
        Assert.Equal(ClientMemory.MaxServers, many.Servers.Count);
        Assert.Equal("10.1.0.40:42000", many.Servers[0].Address);
    }

    [Fact]
    public void Rooms_are_kept_in_the_order_joined_once_each_and_a_room_left_is_forgotten()
    {
        var memory = new ClientMemory("alice", [], []).Joined("lobby").Joined("games").Joined("lobby").Joined("work");
        Assert.Equal(["lobby", "games", "work"], memory.Rooms);
        Assert.Equal(["lobby", "work"], memory.Left("games").Rooms);
        Assert.Same(memory, memory.Left("elsewhere"));
    }

    [Fact]
    public void The_last_used_pointer_names_the_key_directory_and_a_bad_one_is_a_clear_error()
    {
        var data = NewDir();
        var keys = NewDir();
        var last = Path.Combine(data, "entice", "last");
        Assert.Null(LastUsed.Read(last));
        LastUsed.Write(keys, last);
        Assert.Equal(Path.GetFullPath(keys), LastUsed.Read(last));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(last));
        File.WriteAllText(last, "relative/path\n");
        Assert.Throws<ClientMemory.DamagedException>(() => LastUsed.Read(last));
        File.WriteAllText(last, Path.Combine(data, "gone") + "\n");
        Assert.Null(LastUsed.Read(last)); // the directory was removed: nothing to start from
    }

    public void Dispose() => _dirs.Dispose();
}
