using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

public sealed class SessionBookPropertySpecs
{
    /// <summary>
    /// Whatever order the relay delivers in, and however often it repeats a message: each distinct
    /// message is shown exactly once with its own text, and every repeat is refused as a replay.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool Any_permutation_with_duplicates_decrypts_each_message_exactly_once(PositiveInt count, int[] sortKeys, int[] duplicates)
    {
        var messages = count.Get % 16 + 1;
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        var ctx = Party.Direct(alice, bob);
        var ciphertexts = Enumerable.Range(0, messages)
            .Select(i => alice.Book.Encrypt(bob.Keys, ctx, Encoding.UTF8.GetBytes($"message {i}")))
            .ToArray();

        // Every message once, plus the generated repeats, in an order given by the generated sort keys.
        var deliveries = Enumerable.Range(0, messages)
            .Concat(duplicates.Select(d => (int)((uint)d % (uint)messages)))
            .Select((message, position) => (message, key: sortKeys.Length == 0 ? 0 : sortKeys[position % sortKeys.Length]))
            .OrderBy(delivery => delivery.key)
            .Select(delivery => delivery.message)
            .ToList();

        var shown = new HashSet<int>();
        foreach (var message in deliveries)
        {
            var result = bob.Book.Decrypt(alice.Keys, ctx, ciphertexts[message]);
            var firstTime = shown.Add(message);
            var correct = firstTime
                ? result.Succeeded && Encoding.UTF8.GetString(result.Plaintext) == $"message {message}"
                : result.Failure == DecryptFailure.Replay;
            if (!correct)
            {
                return false;
            }
        }

        return shown.Count == messages && bob.Book.SkippedKeyCount == 0;
    }

    [Property(MaxTest = 200)]
    public bool Padding_round_trips_any_bytes_to_a_whole_number_of_blocks(byte[] data)
    {
        var padded = Padding.Pad(data);
        return padded.Length % Padding.BlockSize == 0
            && padded.Length > data.Length
            && padded.Length - data.Length <= Padding.BlockSize
            && Padding.TryUnpad(padded, out var unpadded)
            && unpadded.AsSpan().SequenceEqual(data);
    }

    [Property(MaxTest = 200)]
    public bool Chat_plaintext_round_trips(ulong sequence, long sentAt, NonNull<string> text)
    {
        var original = new ChatPlaintext(sequence, sentAt, text.Get);
        byte[] encoded;
        try
        {
            encoded = original.Encode();
        }
        catch (CryptoException)
        {
            // Lone surrogates are not Unicode text; refusing them is the point of strict UTF-8.
            return !IsValidUnicode(text.Get);
        }

        return ChatPlaintext.TryDecode(encoded, out var decoded) && decoded == original;
    }

    private static bool IsValidUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
