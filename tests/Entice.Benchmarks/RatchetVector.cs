using System.Text;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;
using Entice.Wire;

namespace Entice.Benchmarks;

/// <summary>
/// Prints a frozen known-answer vector for whole SessionBook messages (issue 17: the hot path was rewritten and
/// not one byte on the wire may change): fixed identities, both books' saved state, a prekey message, and the
/// exact ciphertexts an established session gives in each direction. The spec
/// <c>SessionBookVectorSpecs</c> holds the output of this command run on the build before the rewrite (9bc24c3).
/// <c>dotnet run -c Release --project tests/Entice.Benchmarks -- ratchet-vector</c>
/// </summary>
internal static class RatchetVector
{
    public static void Run()
    {
        using var alice = IdentityKeys.Import(Fill(0xA1), Fill(0xA2));
        using var bob = IdentityKeys.Import(Fill(0xB1), Fill(0xB2));
        using var alicePrekey = SignedPrekey.Create(alice, 1);
        using var bobPrekey = SignedPrekey.Create(bob, 7);
        var aliceKeys = new PeerKeys("alice", Bundles.CreateBundle(alice, alicePrekey));
        var bobKeys = new PeerKeys("bob", Bundles.CreateBundle(bob, bobPrekey));
        using var aliceBook = new SessionBook(alice, "alice", alicePrekey);
        using var bobBook = new SessionBook(bob, "bob", bobPrekey);
        var bobBefore = bobBook.Export(exact: true);

        var firstCtx = new MessageContext("lobby", "alice", "bob", Direct: false, EnvelopeId: 41);
        var first = aliceBook.Encrypt(bobKeys, firstCtx, "first: a prekey message"u8);
        Check(bobBook.Decrypt(aliceKeys, firstCtx, first));
        var replyCtx = new MessageContext("lobby", "bob", "alice", Direct: false, EnvelopeId: 42);
        Check(aliceBook.Decrypt(bobKeys, replyCtx, bobBook.Encrypt(aliceKeys, replyCtx, "reply"u8)));
        var aliceState = aliceBook.Export(exact: true);
        var bobState = bobBook.Export(exact: true);

        var aliceCtx = new MessageContext("lobby", "alice", "bob", Direct: true, EnvelopeId: 43);
        var bobCtx = new MessageContext("lobby", "bob", "alice", Direct: false, EnvelopeId: 44);
        var fromAlice = aliceBook.Encrypt(bobKeys, aliceCtx, Plaintext(256));
        var fromBob = bobBook.Encrypt(aliceKeys, bobCtx, Plaintext(100));
        Check(bobBook.Decrypt(aliceKeys, aliceCtx, fromAlice));
        Check(aliceBook.Decrypt(bobKeys, bobCtx, fromBob));

        Print("aliceBundle", aliceKeys.Bundle);
        Print("bobBundle", bobKeys.Bundle);
        Print("bobBefore", bobBefore);
        Print("first", first);
        Print("aliceState", aliceState);
        Print("bobState", bobState);
        Print("fromAlice", fromAlice);
        Print("fromBob", fromBob);
    }

    /// <summary>32 bytes of <paramref name="value"/>: the vector's identity seeds.</summary>
    public static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    /// <summary>The vector's plaintexts: byte i is (7i + 3) mod 256.</summary>
    public static byte[] Plaintext(int length) => Enumerable.Range(0, length).Select(i => (byte)((7 * i) + 3)).ToArray();

    private static void Check(DecryptResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(result.ToString());
    }

    private static void Print(string name, IdentityBundle b) =>
        Console.WriteLine($"{name}={Convert.ToHexStringLower(b.SigningKey)},{Convert.ToHexStringLower(b.DhKey)},{Convert.ToHexStringLower(b.BindingSignature)},{b.PrekeyId},{Convert.ToHexStringLower(b.Prekey)},{Convert.ToHexStringLower(b.PrekeySignature)}");

    private static void Print(string name, byte[] bytes) => Console.WriteLine($"{name}={Convert.ToHexStringLower(bytes)}");
}
