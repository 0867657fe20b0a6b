using System.Buffers.Binary;
using Entice.Crypto.Primitives;

namespace Entice.Client.History;

internal enum HistoryRecordKind : byte
{
    /// <summary>A message shown in a conversation.</summary>
    Message = 1,

    /// <summary>An own message's delivery state changed (<see cref="KeptMessage.Id"/> names it).</summary>
    State = 2,

    /// <summary>A line typed in the input (the input history).</summary>
    Input = 3,
}

/// <summary>
/// The plaintext of one history record (sealed by <see cref="HistoryFile"/>):
/// <code>
/// version 0x01 || kind (1) || time, Unix ms (i64 BE) || flags (1: own 0x01, direct 0x02) || delivery (1)
///   || id || conversation || from || text      (each u32 BE length + strict UTF-8)
/// </code>
/// Decoding never throws: anything short, long, unknown or not UTF-8 is refused.
/// </summary>
internal sealed record HistoryRecord(HistoryRecordKind Kind, KeptMessage Message)
{
    /// <summary>Largest plaintext record; a text longer than <see cref="MaxTextBytes"/> is cut before it is kept.</summary>
    public const int MaxBytes = 64 * 1024;

    public const int MaxTextBytes = 16 * 1024;

    private const byte Version = 1;
    private const int FixedSize = 1 + 1 + 8 + 1 + 1;

    public byte[] Encode()
    {
        var m = Message;
        var id = StrictUtf8.GetBytes(m.Id);
        var conversation = StrictUtf8.GetBytes(m.Conversation);
        var from = StrictUtf8.GetBytes(m.From);
        var text = StrictUtf8.GetBytes(m.Text);
        var buffer = new byte[FixedSize + (4 * 4) + id.Length + conversation.Length + from.Length + text.Length];
        buffer[0] = Version;
        buffer[1] = (byte)Kind;
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(2), m.At.ToUnixTimeMilliseconds());
        buffer[10] = (byte)((m.Own ? 1 : 0) | (m.Direct ? 2 : 0));
        buffer[11] = (byte)m.Delivery;
        var at = FixedSize;
        foreach (var field in new[] { id, conversation, from, text })
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(at), (uint)field.Length);
            field.CopyTo(buffer, at + 4);
            at += 4 + field.Length;
        }
        return buffer;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out HistoryRecord record)
    {
        record = null!;
        if (bytes.Length < FixedSize || bytes.Length > MaxBytes || bytes[0] != Version)
            return false;
        var kind = (HistoryRecordKind)bytes[1];
        if (kind is not (HistoryRecordKind.Message or HistoryRecordKind.State or HistoryRecordKind.Input))
            return false;
        var ms = BinaryPrimitives.ReadInt64BigEndian(bytes[2..]);
        if (ms < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return false;
        var flags = bytes[10];
        var delivery = bytes[11];
        if ((flags & ~3) != 0 || delivery > (byte)Delivery.Delivered)
            return false;
        var rest = bytes[FixedSize..];
        var fields = new string[4];
        for (var i = 0; i < fields.Length; i++)
        {
            if (rest.Length < 4)
                return false;
            var length = BinaryPrimitives.ReadUInt32BigEndian(rest);
            if (length > (uint)(rest.Length - 4) || !StrictUtf8.TryGetString(rest.Slice(4, (int)length), out fields[i]))
                return false;
            rest = rest[(4 + (int)length)..];
        }
        if (!rest.IsEmpty)
            return false;
        record = new HistoryRecord(kind, new KeptMessage(fields[0], fields[1], fields[2], fields[3],
            DateTimeOffset.FromUnixTimeMilliseconds(ms), (flags & 1) != 0, (flags & 2) != 0, (Delivery)delivery));
        return true;
    }

    /// <summary>At most <see cref="MaxTextBytes"/> of UTF-8, cut at a character boundary, with "…" when cut.</summary>
    public static string Bound(string text)
    {
        if (text.Length * 3 <= MaxTextBytes || StrictUtf8Length(text) <= MaxTextBytes)
            return text;
        var end = Math.Min(text.Length, (MaxTextBytes / 3) - 1);
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
            end--;
        return text[..end] + "…";
    }

    private static int StrictUtf8Length(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    public override string ToString() => $"HistoryRecord {{ Kind = {Kind}, {Message} }}";
}
