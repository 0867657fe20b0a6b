using System.Globalization;
using System.Text.Json;
using Entice.ClientNode.Ui.Tui;
using Entice.Channels;
using Entice.ClientNode.Ui.Views;
using Entice.Discovery;
using Entice.Display;

namespace Entice.ClientNode.Discovery;

/// <summary>
/// A client started with no server looks for relays on the local network (<see cref="ServerDiscovery"/>):
/// one found is used; several are offered (a list in the terminal UI, numbered lines in --plain, a
/// "servers" event in --json answered by an index line on stdin); none is one line saying how to give
/// --server (exit code 2).
/// </summary>
internal static class ServerChoice
{
    public enum Mode { Tui, Plain, Json }

    public const string NoneFound = "no Entice server answered on the local network; start one there, or give its address with --server HOST:PORT (the server prints it: \"Clients on other machines: --server ...\")";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The relay to use, or null (the reason already printed on stderr) when there is none or the answer was not a choice.</summary>
    public static async Task<DiscoveredServer?> ChooseAsync(ClientDiscoverySettings settings, Mode mode, TextReader input, TextWriter output)
    {
        if (mode != Mode.Json)
            await Console.Error.WriteLineAsync($"entice: looking for servers on the local network (up to {settings.Timeout.TotalSeconds:0.#} s)...").ConfigureAwait(false);
        var found = await ServerDiscovery.BrowseAsync(settings).ConfigureAwait(false);
        if (found.Count == 0)
        {
            await Console.Error.WriteLineAsync($"entice: {NoneFound}").ConfigureAwait(false);
            return null;
        }
        if (found.Count == 1)
        {
            if (mode != Mode.Json)
                await Console.Error.WriteLineAsync($"entice: found {Describe(found[0])}").ConfigureAwait(false);
            return found[0];
        }
        switch (mode)
        {
            case Mode.Tui:
                return ServerPickerDialog.Pick([.. found.Select(Describe)]) is { } picked ? found[picked] : null;
            case Mode.Json:
                await output.WriteLineAsync(JsonSerializer.Serialize(new { @event = "servers", servers = Json(found) }, JsonOptions)).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
                return await ReadChoiceAsync(input, found, first: 0).ConfigureAwait(false);
            default:
                for (var i = 0; i < found.Count; i++)
                    await output.WriteLineAsync($"{i + 1}) {Describe(found[i])}").ConfigureAwait(false);
                await output.WriteAsync($"Which server (1-{found.Count})? ").ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
                return await ReadChoiceAsync(input, found, first: 1).ConfigureAwait(false);
        }
    }

    /// <summary><c>entice --list-servers</c>: one line per relay found (address:port, key fingerprint as 40 hex digits or "-", name); exit 0, or 1 when none.</summary>
    public static async Task<int> ListAsync(ClientDiscoverySettings settings, TextWriter output)
    {
        var found = await ServerDiscovery.BrowseAsync(settings).ConfigureAwait(false);
        foreach (var s in found)
            await output.WriteLineAsync($"{s.Endpoint}\t{s.Fingerprint?.ToCompactString() ?? "-"}\t{PeerText.Visible(s.Name)}").ConfigureAwait(false);
        if (found.Count == 0)
            await Console.Error.WriteLineAsync($"entice: {NoneFound}").ConfigureAwait(false);
        return found.Count == 0 ? 1 : 0;
    }

    /// <summary>
    /// What the client connects to once a relay is chosen: its address with the key it announced (fp=)
    /// required, as <c>--server HOST:PORT@FINGERPRINT</c> would, so a machine that copied its
    /// announcement cannot stand in for it. An announcement never overrides a pin: when this key
    /// directory pinned another key for that address, null and <paramref name="problem"/> says so (someone
    /// may be posing as the relay; a deliberate change is accepted with --server). Reads servers.pins:
    /// call it before any actor starts. A damaged pin file throws <see cref="Entice.Crypto.Primitives.CryptoException"/>.
    /// </summary>
    public static ServerTarget? Target(DiscoveredServer found, string keyDirectory, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(found);
        problem = null;
        var target = found.Target;
        if (found.Fingerprint is not { } announced)
            return target; // an older relay announcing no key: the pin decides, as for --server HOST:PORT
        var pinned = ServerPins.Load(keyDirectory).Get(target.Endpoint);
        if (pinned is null || pinned.Equals(announced))
            return target;
        var address = ServerTarget.KeyOf(target.Endpoint);
        problem = $"the server found at {address} announces the key {announced}, but you pinned {pinned} for that address: "
            + $"someone on the network may be posing as it. If its key really changed (ask whoever runs it to read you the fingerprint it prints), "
            + $"accept the new one with --server {address}@{announced.ToCompactString()}";
        return null;
    }

    public static string Describe(DiscoveredServer s) =>
        $"{s.Endpoint}  \"{PeerText.Visible(s.Name)}\"{(s.Fingerprint is { } fp ? $"  key {fp}" : "")}";

    private static object[] Json(IReadOnlyList<DiscoveredServer> found) =>
        [.. found.Select((s, i) => new { index = i, address = s.Address.ToString(), port = s.Port, name = s.Name, fingerprint = s.Fingerprint?.ToCompactString() })];

    // One line: the number of a listed relay. Anything else (or end of input) is a clear error, never a loop.
    private static async Task<DiscoveredServer?> ReadChoiceAsync(TextReader input, IReadOnlyList<DiscoveredServer> found, int first)
    {
        var line = await input.ReadLineAsync().ConfigureAwait(false);
        if (line is not null && int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= first && n < first + found.Count)
            return found[n - first];
        await Console.Error.WriteLineAsync(line is null
            ? "entice: no server chosen (end of input)"
            : $"entice: '{PeerText.Visible(line.Length > 40 ? line[..40] : line)}' is not one of the servers listed ({first}-{first + found.Count - 1}); give one with --server HOST:PORT").ConfigureAwait(false);
        return null;
    }
}
