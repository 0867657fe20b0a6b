using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Entice.LoadTest;

/// <summary>
/// The same workload over IRC: NICK/USER, JOIN a channel (wait for 366 end of names), then PRIVMSG lines
/// whose text is the base64 of the same random payload with the stamp at its start.
/// </summary>
internal sealed class IrcConn(int index, int room, string name, int bufferSize) : LoadConn(index, room, name, bufferSize)
{
    private static readonly byte[] Privmsg = " PRIVMSG "u8.ToArray();
    private const int StampChars = Stamp.Size / 3 * 4; // 18 bytes -> 24 base64 chars, independent of the rest
    private readonly byte[] _stampBytes = new byte[Stamp.Size];

    public override async Task HandshakeAsync(string room, CancellationToken ct)
    {
        await SendAllAsync(Encoding.ASCII.GetBytes($"NICK {Name}\r\nUSER {Name} 0 * :{Name}\r\n"), ct);
        await ReadUntilAsync("001", ct);
        await SendAllAsync(Encoding.ASCII.GetBytes($"JOIN {room}\r\n"), ct);
        await ReadUntilAsync("366", ct);
    }

    private async Task ReadUntilAsync(string numeric, CancellationToken ct)
    {
        while (true)
        {
            while (true)
            {
                var nl = Buffer.AsSpan(Start, End - Start).IndexOf((byte)'\n');
                if (nl < 0)
                    break;
                var line = Encoding.ASCII.GetString(Buffer, Start, nl).TrimEnd('\r');
                Start += nl + 1;
                if (line.StartsWith("PING ", StringComparison.Ordinal))
                    await SendAllAsync(Encoding.ASCII.GetBytes("PONG " + line[5..] + "\r\n"), ct);
                else if (line.StartsWith("ERROR", StringComparison.Ordinal) || IsRefusal(Command(line)))
                    throw new IOException($"{Name}: {line}");
                else if (Command(line) == numeric)
                {
                    if (Start == End)
                        Start = End = 0;
                    return;
                }
            }
            await ReadMoreAsync(ct);
        }
    }

    // ":prefix COMMAND args": the second token (or the first when there is no prefix).
    private static string Command(string line)
    {
        var parts = line.Split(' ', 3);
        return line.StartsWith(':') ? (parts.Length > 1 ? parts[1] : "") : parts[0];
    }

    // Nick in use / erroneous / unavailable, channel full / invite-only / banned / bad key, too many channels.
    private static bool IsRefusal(string command) =>
        command is "431" or "432" or "433" or "436" or "437" or "471" or "473" or "474" or "475" or "405";

    public override byte[] BuildTemplate(string room, int bytes)
    {
        var payload = RandomNumberGenerator.GetBytes(Math.Max(bytes, Stamp.Size));
        return Encoding.ASCII.GetBytes($"PRIVMSG {room} :{Convert.ToBase64String(payload)}\r\n");
    }

    public override int WriteMessage(Span<byte> destination, ReadOnlySpan<byte> prebuilt, long ticks, ushort sender, long seq)
    {
        prebuilt.CopyTo(destination);
        var textStart = prebuilt.IndexOf(" :"u8) + 2;
        Stamp.Write(_stampBytes, ticks, sender, seq);
        Base64.EncodeToUtf8(_stampBytes, destination.Slice(textStart, StampChars), out _, out _);
        return prebuilt.Length;
    }

    protected override void ParseBatch(long nowTicks)
    {
        var buf = Buffer.AsSpan(0, End);
        Span<byte> stamp = stackalloc byte[Stamp.Size];
        var pos = Start;
        while (pos < End)
        {
            var nl = buf[pos..].IndexOf((byte)'\n');
            if (nl < 0)
                break;
            var line = buf.Slice(pos, nl);
            pos += nl + 1;
            var p = line.IndexOf(Privmsg);
            if (p >= 0)
            {
                var rest = line[(p + Privmsg.Length)..];
                var colon = rest.IndexOf(" :"u8);
                if (colon >= 0 && rest.Length - colon - 2 >= StampChars
                    && Base64.DecodeFromUtf8(rest.Slice(colon + 2, StampChars), stamp, out _, out var written) == System.Buffers.OperationStatus.Done
                    && written == Stamp.Size)
                {
                    RecordDelivery(nowTicks, BinaryPrimitives.ReadInt64LittleEndian(stamp), BinaryPrimitives.ReadUInt16LittleEndian(stamp[8..]));
                }
            }
            else if (line.StartsWith("PING "u8))
            {
                var pong = line.ToArray();
                pong[1] = (byte)'O';
                SendBlocking(pong.AsSpan().TrimEnd((byte)'\r'));
                SendBlocking("\r\n"u8);
            }
        }
        Start = pos;
    }
}
