using System.Text.Json;
using Entice.Channels;

namespace Entice.Tests.Channels;

/// <summary>
/// The Noise core against the framework's published vectors (NoiseVectors.json: cacophony's and snow's
/// entries for XX, NN and IK with 25519, ChaChaPoly or AESGCM, SHA256): every handshake and transport message of
/// each vector is replayed with its fixed keys and must give the published ciphertext byte for byte,
/// the receiving side must read back the payload, and the handshake hash must match where published.
/// </summary>
public sealed class NoiseVectorSpecs
{
    public static IEnumerable<object[]> Vectors()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Channels", "NoiseVectors.json")));
        var index = 0;
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            yield return [$"{v.GetProperty("source").GetString()} {v.GetProperty("protocol_name").GetString()}", index++];
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Every_message_of_the_published_vector_is_reproduced(string name, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Channels", "NoiseVectors.json")));
        var v = doc.RootElement.GetProperty("vectors")[index];
        Assert.EndsWith(v.GetProperty("protocol_name").GetString()!, name);
        var protocol = v.GetProperty("protocol_name").GetString()!;
        var pattern = protocol.Split('_')[1] switch
        {
            "XX" => HandshakePattern.XX,
            "NN" => HandshakePattern.NN,
            "IK" => HandshakePattern.IK,
            var other => throw new InvalidOperationException(other),
        };
        var suite = protocol.Split('_')[3] switch
        {
            "ChaChaPoly" => ChannelSuite.ChaChaPoly,
            "AESGCM" => ChannelSuite.AesGcm,
            var other => throw new InvalidOperationException(other),
        };
        Assert.Equal(protocol, pattern.ProtocolName(suite));
        if (!SecureChannelSpecs.SuiteRuns(suite))
            return;

        using var initStatic = Key(v, "init_static");
        using var respStatic = Key(v, "resp_static");
        using var initiator = new HandshakeState(
            pattern, true, Hex(v, "init_prologue"), initStatic, Hex(v, "init_remote_static"), () => Key(v, "init_ephemeral")!, suite);
        using var responder = new HandshakeState(
            pattern, false, Hex(v, "resp_prologue"), respStatic, default, () => Key(v, "resp_ephemeral")!, suite);

        CipherState? iSend = null, iRecv = null, rSend = null, rRecv = null;
        var i = 0;
        foreach (var message in v.GetProperty("messages").EnumerateArray())
        {
            var payload = Convert.FromHexString(message.GetProperty("payload").GetString()!);
            var expected = Convert.FromHexString(message.GetProperty("ciphertext").GetString()!);
            var initiatorSends = i % 2 == 0;
            if (!initiator.IsComplete)
            {
                var (writer, reader) = initiatorSends ? (initiator, responder) : (responder, initiator);
                var sent = writer.WriteMessage(payload);
                Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(sent));
                Assert.Equal(payload, reader.ReadMessage(sent));
                if (initiator.IsComplete)
                {
                    Assert.True(responder.IsComplete);
                    if (v.TryGetProperty("handshake_hash", out var hash))
                    {
                        Assert.Equal(hash.GetString(), Convert.ToHexString(initiator.HandshakeHash).ToLowerInvariant());
                        Assert.Equal(initiator.HandshakeHash, responder.HandshakeHash);
                    }

                    (iSend, iRecv) = initiator.Split();
                    (rSend, rRecv) = responder.Split();
                }
            }
            else
            {
                var (send, recv) = initiatorSends ? (iSend!, rRecv!) : (rSend!, iRecv!);
                var sent = send.EncryptWithAd([], payload);
                Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(sent));
                var opened = new byte[sent.Length - CipherState.TagSize];
                Assert.True(recv.TryDecryptWithAd([], sent, opened));
                Assert.Equal(payload, opened);
            }

            i++;
        }

        Assert.True(initiator.IsComplete);
        Assert.True(i > pattern.Messages.Length, "the vector also covers transport messages");
        foreach (var c in new[] { iSend, iRecv, rSend, rRecv })
        {
            c?.Dispose();
        }
    }

    private static byte[] Hex(JsonElement v, string property) =>
        v.TryGetProperty(property, out var value) ? Convert.FromHexString(value.GetString()!) : [];

    private static X25519KeyPair? Key(JsonElement v, string property) =>
        v.TryGetProperty(property, out var value) ? X25519KeyPair.FromPrivateKey(Convert.FromHexString(value.GetString()!)) : null;
}
