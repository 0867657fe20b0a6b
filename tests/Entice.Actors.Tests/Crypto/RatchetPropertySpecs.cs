using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

public sealed class RatchetPropertySpecs
{
    /// <summary>
    /// A hostile relay interleaves sends in both directions (including both sides starting at once), drops,
    /// reorders and repeats messages. Every message it delivers decrypts exactly once with its own text,
    /// every repeat is refused, and the state on both sides stays usable to the end.
    /// </summary>
    [Property(MaxTest = 40)]
    public bool Two_parties_stay_in_sync_under_any_interleaving_with_drops_duplicates_and_reordering(int[] script)
    {
        // Any drop, the first messages of a session included (the small new-session skip limit has its own specs).
        using var alice = new Party("alice", maxSkipNewSession: 1000);
        using var bob = new Party("bob", maxSkipNewSession: 1000);
        var inFlight = new List<Message>();
        var delivered = new List<Message>();
        var sent = 0;

        foreach (var step in script.Take(120))
        {
            var pick = (int)((uint)step / 5);
            switch ((uint)step % 5)
            {
                case 0:
                case 1:
                    var from = (uint)step % 5 == 0 ? alice : bob;
                    var to = from == alice ? bob : alice;
                    var text = $"{from.Name} #{sent++}";
                    inFlight.Add(new Message(from, to, text, from.Book.Encrypt(to.Keys, Party.Direct(from, to), Encoding.UTF8.GetBytes(text))));
                    break;
                case 2 when inFlight.Count > 0:
                    var message = inFlight[pick % inFlight.Count];
                    inFlight.Remove(message);
                    if (!Delivers(message))
                    {
                        return false;
                    }

                    delivered.Add(message);
                    break;
                case 3 when inFlight.Count > 0:
                    inFlight.RemoveAt(pick % inFlight.Count); // dropped for good
                    break;
                case 4 when delivered.Count > 0:
                    var repeat = delivered[pick % delivered.Count];
                    if (Open(repeat).Succeeded)
                    {
                        return false;
                    }

                    break;
            }
        }

        // Whatever is still in flight arrives last, newest first (the most reordered case), then both talk on.
        foreach (var message in Enumerable.Reverse(inFlight))
        {
            if (!Delivers(message))
            {
                return false;
            }
        }

        foreach (var (from, to) in new[] { (alice, bob), (bob, alice), (alice, bob) })
        {
            var text = $"{from.Name} final";
            if (!Delivers(new Message(from, to, text, from.Book.Encrypt(to.Keys, Party.Direct(from, to), Encoding.UTF8.GetBytes(text)))))
            {
                return false;
            }
        }

        return true;
    }

    private static DecryptResult Open(Message message) =>
        message.To.Book.Decrypt(message.From.Keys, Party.Direct(message.From, message.To), message.Ciphertext);

    private static bool Delivers(Message message)
    {
        var result = Open(message);
        return result.Succeeded && Encoding.UTF8.GetString(result.Plaintext) == message.Text;
    }

    private sealed record Message(Party From, Party To, string Text, byte[] Ciphertext);
}
