using static Entice.ClientNode.Ui.Presentation.PasteGate;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

/// <summary>A paste that arrives as keys (no bracketed paste): Enter inside a burst is a line break.</summary>
public sealed class PasteGateSpecs
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(40);
    private static long Ms(double ms) => (long)(ms * TimeSpan.TicksPerMillisecond);

    /// <summary>Feeds text as keys 0.1 ms apart (Enter for '\n') into an input line, as the UI does.</summary>
    private static (InputLine Line, List<string> Sent, List<string> Confirm, long Now) Feed(PasteGate gate, string keys, long start = 0, double gapMs = 0.1)
    {
        var line = new InputLine();
        var sent = new List<string>();
        var confirm = new List<string>();
        var now = start;
        void Act(KeyVerdict v)
        {
            switch (v)
            {
                case KeyVerdict.NewlineThenType:
                    line.Insert("\n");
                    break;
                case KeyVerdict.SendThenType:
                    sent.Add(line.Text);
                    line.Clear();
                    break;
                case KeyVerdict.ConfirmThenType:
                    confirm.Add(line.Text);
                    line.Clear();
                    break;
            }
        }
        foreach (var c in keys)
        {
            now += Ms(gapMs);
            if (c == '\n')
                Act(gate.Enter(now));
            else
            {
                Act(gate.Key(now));
                line.Insert(c.ToString());
            }
        }
        switch (gate.Tick(now + Ms(100)))
        {
            case Due.Send:
                sent.Add(line.Text);
                line.Clear();
                break;
            case Due.ConfirmPaste:
                confirm.Add(line.Text);
                line.Clear();
                break;
        }
        return (line, sent, confirm, now);
    }

    [Fact]
    public void A_pasted_burst_of_lines_is_one_message_to_confirm_and_no_line_runs_alone()
    {
        // The report: "line one / line two / /quit / line four" sent two lines, quit, lost the fourth.
        var (_, sent, confirm, _) = Feed(new PasteGate(Window), "line one\nline two\n/quit\nline four");
        Assert.Empty(sent);
        Assert.Equal(["line one\nline two\n/quit\nline four"], confirm);
    }

    [Fact]
    public void A_paste_ending_in_a_line_feed_is_one_message_too()
    {
        var (_, sent, confirm, _) = Feed(new PasteGate(Window), "a\nb\n");
        Assert.Empty(sent);
        Assert.Equal(["a\nb"], confirm.Select(ChatPresenter.Normalise));
    }

    [Fact]
    public void Typed_lines_with_pauses_are_sent_one_by_one()
    {
        var gate = new PasteGate(Window);
        var (_, sent, confirm, _) = Feed(gate, "hello\n", gapMs: 120);
        Assert.Equal(["hello"], sent);
        Assert.Empty(confirm);
    }

    [Fact]
    public void A_typed_Enter_not_yet_ticked_is_sent_before_the_next_typed_key()
    {
        var gate = new PasteGate(Window);
        Assert.Equal(KeyVerdict.Type, gate.Key(Ms(0)));
        Assert.Equal(KeyVerdict.Type, gate.Enter(Ms(100)));
        Assert.Equal(KeyVerdict.SendThenType, gate.Key(Ms(300)));
        Assert.Equal(Due.Nothing, gate.Tick(Ms(1000)));
    }

    [Fact]
    public void A_single_line_paste_needs_no_confirmation()
    {
        var (line, sent, confirm, _) = Feed(new PasteGate(Window), "just one long line");
        Assert.Empty(sent);
        Assert.Empty(confirm);
        Assert.Equal("just one long line", line.Text);
    }

    [Fact]
    public void The_gate_has_work_only_while_an_Enter_or_a_burst_waits()
    {
        var gate = new PasteGate(Window);
        gate.Key(Ms(0));
        Assert.False(gate.Pending);
        gate.Enter(Ms(100));
        Assert.True(gate.Pending);
        gate.Key(Ms(100.1)); // a paste: the burst waits for its end
        Assert.True(gate.Pending);
        Assert.Equal(Due.ConfirmPaste, gate.Tick(Ms(300)));
        Assert.False(gate.Pending);
    }
}
