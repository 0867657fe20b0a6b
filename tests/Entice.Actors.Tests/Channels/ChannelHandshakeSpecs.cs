using System.Buffers.Binary;
using System.Text;
using Entice.Channels;
using Entice.Tests.Hostile;

namespace Entice.Tests.Channels;

/// <summary>
/// The handshake as an attacker on the LAN meets it: every byte of every handshake flight altered, a
/// server with another key, a recorded handshake replayed, low-order keys, a plaintext or old client,
/// bytes out of turn, garbage in any chunking. Each ends in a classified failure, never an exception
/// and never a channel.
/// </summary>
public sealed class ChannelHandshakeSpecs
{
    [Fact]
    public void Client_and_server_agree_and_each_learns_the_others_static_key()
    {
        using var pair = new ChannelPair();

        Assert.True(pair.Run());

        Assert.Equal(pair.ClientChannel!.HandshakeHash, pair.ServerChannel!.HandshakeHash);
        Assert.Equal(pair.ServerKey.PublicKey, pair.ClientChannel.RemoteStaticKey.ToArray());
        Assert.Equal(ServerFingerprint.Of(pair.ServerKey.PublicKey), pair.ClientStep!.PresentedServerKey);
        Assert.Equal(ChannelProtocol.Preamble.ToArray(), pair.Flights[0][..16]);
        Assert.Equal((byte)pair.Settings.ClientSuite, pair.Flights[0][16]);
        Assert.Equal([16 + 1 + 2 + 32, 2 + 96, 2 + 64], pair.Flights.Select(f => f.Length));
    }

    [Fact]
    public void The_client_learns_nothing_of_the_server_key_in_clear_and_the_wire_never_carries_it()
    {
        using var pair = new ChannelPair();
        Assert.True(pair.Run());

        var wire = pair.Flights.SelectMany(f => f).ToArray();
        Assert.Equal(-1, wire.AsSpan().IndexOf(pair.ServerKey.PublicKey));
        Assert.Equal(-1, wire.AsSpan().IndexOf(pair.ServerChannel!.RemoteStaticKey));
    }

    [Fact]
    public void Any_flipped_byte_in_any_handshake_flight_fails_the_handshake_with_a_classified_error()
    {
        for (var flight = 0; flight < 3; flight++)
        {
            var length = flight switch { 0 => 16 + 1 + 2 + 32, 1 => 2 + 96, _ => 2 + 64 };
            for (var position = 0; position < length; position++)
            {
                foreach (var mask in new byte[] { 0x01, 0x80 })
                {
                    using var pair = new ChannelPair();
                    var target = flight;
                    var completed = pair.Run((i, bytes) =>
                    {
                        if (i == target)
                            bytes[position] ^= mask;
                        return bytes;
                    });

                    Assert.False(completed, $"flight {flight} byte {position} mask {mask:x2}");
                    var failed = pair.ServerStep!.IsFailed ? pair.ServerStep : pair.ClientStep;
                    Assert.True(failed is { IsFailed: true }, $"flight {flight} byte {position}: no side failed");
                }
            }
        }
    }

    [Fact]
    public void A_server_with_another_key_than_the_expected_one_is_refused_before_the_client_says_anything()
    {
        using var pinned = X25519KeyPair.Generate();
        using var pair = new ChannelPair(expected: ServerFingerprint.Of(pinned.PublicKey));

        Assert.False(pair.Run());

        Assert.Equal(ChannelFailure.ServerKeyMismatch, pair.ClientStep!.Error!.Kind);
        Assert.Empty(pair.ClientStep.Outbound);
        Assert.Equal(ServerFingerprint.Of(pair.ServerKey.PublicKey), pair.ClientStep.PresentedServerKey);
        Assert.Contains(ServerFingerprint.Of(pinned.PublicKey).ToString(), pair.ClientStep.Error.Reason);
        Assert.Equal(HandshakeStatus.InProgress, pair.ServerStep!.Status);
    }

    [Fact]
    public void The_expected_server_key_completes()
    {
        using var server = X25519KeyPair.Generate();
        using var pair = new ChannelPair(serverKey: X25519KeyPair.FromPrivateKey(server.ExportPrivateKey()), expected: ServerFingerprint.Of(server.PublicKey));

        Assert.True(pair.Run());
    }

    [Fact]
    public void A_recorded_client_handshake_replayed_to_the_server_gets_no_channel()
    {
        using var server = X25519KeyPair.Generate();
        using var recorded = new ChannelPair(serverKey: X25519KeyPair.FromPrivateKey(server.ExportPrivateKey()));
        Assert.True(recorded.Run());

        using var replay = ChannelHandshake.Responder(new ChannelSettings(), server);
        var answer = replay.Receive(recorded.Flights[0]);
        Assert.Equal(HandshakeStatus.InProgress, answer.Status);
        Assert.NotEqual(recorded.Flights[1], answer.Outbound);

        var step = replay.Receive(recorded.Flights[2]);
        Assert.Equal(ChannelFailure.AuthenticationFailed, step.Error!.Kind);
    }

    [Fact]
    public void A_recorded_session_replayed_into_a_new_one_fails_to_authenticate()
    {
        using var old = new ChannelPair();
        Assert.True(old.Run());
        var recorded = old.ClientChannel!.Seal("join lobby"u8);

        using var fresh = new ChannelPair();
        Assert.True(fresh.Run());

        Assert.Equal(ChannelFailure.AuthenticationFailed, fresh.ServerChannel!.Open(recorded).Error!.Kind);
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void A_low_order_or_non_canonical_ephemeral_key_is_refused(string hex)
    {
        using var server = X25519KeyPair.Generate();
        using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);
        var message = new byte[16 + 1 + 2 + 32];
        ChannelProtocol.Opening(ChannelSuite.ChaChaPoly).CopyTo(message, 0);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(17), 32);
        Convert.FromHexString(hex).CopyTo(message, 19);

        var step = responder.Receive(message);

        Assert.Equal(ChannelFailure.AuthenticationFailed, step.Error!.Kind);
    }

    public static IEnumerable<object[]> BadKeys() => HostileMember.BadX25519Keys();

    [Fact]
    public void A_plaintext_or_old_protocol_client_is_refused_at_its_first_byte()
    {
        using var server = X25519KeyPair.Generate();
        using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);

        // The old protocol opens with a 4-byte big-endian frame length.
        var step = responder.Receive([0x00, 0x00, 0x01, 0x20]);

        Assert.Equal(ChannelFailure.NotAChannelClient, step.Error!.Kind);
    }

    [Fact]
    public void A_client_of_another_channel_version_is_told_so()
    {
        using var server = X25519KeyPair.Generate();
        using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);

        var step = responder.Receive(Encoding.ASCII.GetBytes("entice-channel/3"));

        Assert.Equal(ChannelFailure.UnsupportedVersion, step.Error!.Kind);
        Assert.Contains("entice-channel/3", step.Error.Reason);
    }

    [Fact]
    public void The_prologue_binds_the_version_so_a_client_that_claims_another_cannot_finish()
    {
        using var pair = new ChannelPair();
        var real = pair.Client.Start();
        using var server = X25519KeyPair.Generate();

        // A responder whose prologue differs (built directly: a future version on the other end).
        using var other = new HandshakeState(HandshakePattern.XX, false, [.. "entice-channel/0"u8, real[16]], server, suite: pair.Settings.ClientSuite);
        Assert.NotNull(other.ReadMessage(real.AsSpan(19)));
        var reply = other.WriteMessage([]);
        var framed = new byte[2 + reply.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
        reply.CopyTo(framed, 2);

        Assert.Equal(ChannelFailure.AuthenticationFailed, pair.Client.Receive(framed).Error!.Kind);
    }

    [Fact]
    public void Bytes_sent_out_of_turn_are_refused()
    {
        using var server = X25519KeyPair.Generate();
        using var client = ChannelHandshake.Initiator(new ChannelSettings(), null);
        using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);

        var step = responder.Receive([.. client.Start(), 0x00, 0x40]);

        Assert.Equal(ChannelFailure.Malformed, step.Error!.Kind);
    }

    [Fact]
    public void A_handshake_delivered_one_byte_at_a_time_completes_and_records_right_behind_it_are_kept()
    {
        using var pair = new ChannelPair();
        HandshakeStep step = null!;
        foreach (var b in pair.Client.Start())
            step = pair.Server.Receive([b]);
        foreach (var b in step.Outbound)
            step = pair.Client.Receive([b]);
        Assert.True(step.IsComplete);
        using var client = step.Channel;
        var flight = step.Outbound.Concat(client.Seal("hello"u8)).ToArray();

        HandshakeStep last = null!;
        for (var i = 0; i < 66; i++)
            last = pair.Server.Receive(flight.AsSpan(i, 1));
        var rest = pair.Server.Receive(flight.AsSpan(66));
        Assert.True(last.IsComplete);
        Assert.Empty(rest.Outbound);
        Assert.True(rest.IsFailed);

        using var server = last.Channel;
        var frames = server.Open(flight.AsSpan(66)).Frames;
        Assert.Equal("hello"u8.ToArray(), Assert.Single(frames));
    }

    [Fact]
    public void The_first_records_in_the_same_read_as_the_last_handshake_message_come_back_as_remainder()
    {
        using var pair = new ChannelPair();
        var step = pair.Client.Receive(pair.Server.Receive(pair.Client.Start()).Outbound);
        using var client = step.Channel!;
        var done = pair.Server.Receive([.. step.Outbound, .. client.Seal("first"u8)]);

        Assert.True(done.IsComplete);
        using var server = done.Channel;
        Assert.Equal("first"u8.ToArray(), Assert.Single(server.Open(done.Remainder).Frames));
    }

    [Fact]
    public void Garbage_in_any_chunking_never_throws_and_ends_in_a_classified_failure_or_a_wait()
    {
        var random = new Random(13);
        using var server = X25519KeyPair.Generate();
        for (var round = 0; round < 300; round++)
        {
            using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);
            using var initiator = ChannelHandshake.Initiator(new ChannelSettings(), null);
            initiator.Start();
            var garbage = new byte[random.Next(0, 400)];
            random.NextBytes(garbage);
            if (round % 2 == 0 && garbage.Length >= 16)
                ChannelProtocol.Preamble.CopyTo(garbage);
            foreach (var side in new[] { responder, initiator })
            {
                var at = 0;
                while (at < garbage.Length)
                {
                    var take = random.Next(1, garbage.Length - at + 1);
                    var step = side.Receive(garbage.AsSpan(at, take));
                    at += take;
                    Assert.False(step.IsComplete);
                    if (step.IsFailed)
                        break;
                }
            }
        }
    }

    [Fact]
    public void After_split_the_chaining_key_and_the_ephemeral_are_wiped()
    {
        using var server = X25519KeyPair.Generate();
        var ephemerals = new List<X25519KeyPair>();
        using var initiator = new HandshakeState(HandshakePattern.XX, true, ChannelProtocol.Preamble, X25519KeyPair.Generate(), ephemeral: () =>
        {
            var e = X25519KeyPair.Generate();
            ephemerals.Add(e);
            return e;
        });
        using var responder = new HandshakeState(HandshakePattern.XX, false, ChannelProtocol.Preamble, server);
        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        responder.ReadMessage(initiator.WriteMessage([]));

        var (send, receive) = initiator.Split();
        send.Dispose();
        receive.Dispose();

        Assert.True(Assert.Single(ephemerals).IsDisposed);
        var symmetric = typeof(HandshakeState).GetField("symmetric", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(initiator)!;
        var ck = (byte[])typeof(SymmetricState).GetField("ck", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(symmetric)!;
        Assert.All(ck, b => Assert.Equal(0, b));
    }
}
