using static Entice.Tests.Crypto.Wire;

namespace Entice.Tests.Crypto;

/// <summary>Both sides send first at the same time: they must end up sending on one shared session.</summary>
public sealed class SimultaneousStartSpecs
{
    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("zed", "amy")]
    public void Both_sides_converge_on_the_session_started_by_the_name_that_sorts_first(string first, string second)
    {
        using var x = new Party(first);
        using var y = new Party(second);
        var fromX = Send(x, y, "x starts");
        var fromY = Send(y, x, "y starts");
        var winner = string.CompareOrdinal(first, second) < 0 ? BaseKey(fromX) : BaseKey(fromY);

        AssertDecryptsTo("x starts", Receive(y, x, fromX));
        AssertDecryptsTo("y starts", Receive(x, y, fromY));
        var nextX = Send(x, y, "x again");
        var nextY = Send(y, x, "y again");

        Assert.Equal(winner, BaseKey(nextX));
        Assert.Equal(winner, BaseKey(nextY));
        AssertDecryptsTo("x again", Receive(y, x, nextX));
        AssertDecryptsTo("y again", Receive(x, y, nextY));
        for (var i = 0; i < 3; i++)
        {
            var a = Send(x, y, $"x{i}");
            var b = Send(y, x, $"y{i}");
            Assert.Equal(winner, BaseKey(a));
            Assert.Equal(winner, BaseKey(b));
            AssertDecryptsTo($"x{i}", Receive(y, x, a));
            AssertDecryptsTo($"y{i}", Receive(x, y, b));
        }
    }

    [Fact]
    public void Messages_still_in_flight_on_the_losing_session_decrypt_after_the_switch()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        var a1 = Send(alice, bob, "a1");
        var b1 = Send(bob, alice, "b1");
        AssertDecryptsTo("b1", Receive(alice, bob, b1));
        var a2 = Send(alice, bob, "a2");
        var b2 = Send(bob, alice, "b2 (bob has not seen alice yet)");

        AssertDecryptsTo("a1", Receive(bob, alice, a1));
        AssertDecryptsTo("a2", Receive(bob, alice, a2));
        var b3 = Send(bob, alice, "b3");
        AssertDecryptsTo("b3", Receive(alice, bob, b3));
        AssertDecryptsTo("b2 (bob has not seen alice yet)", Receive(alice, bob, b2));

        Assert.Equal(BaseKey(b1), BaseKey(b2)); // sent on Bob's own session before he saw Alice's
        Assert.Equal(BaseKey(a1), BaseKey(b3)); // then Bob switched to Alice's ("alice" < "bob")
    }
}
