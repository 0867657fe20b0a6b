using Entice.Client;
using Entice.ClientNode.Ui.Views;

namespace Entice.ClientNode.Ui.Presentation;

// The lines of a conversation: own messages (marked sent and delivered later), messages, notices, errors.
public sealed partial class ChatPresenter
{
    // Own messages show at once; the line is marked sent when the SentEvent with its tag comes back.
    private string AddOwn(Conversation conversation, string text, bool direct)
    {
        AddMessage(conversation, Me, Body(text), _now(), own: true, direct);
        var tag = $"t{++_ownCounter}";
        _ownLines[tag] = (conversation, conversation.Lines[^1]);
        KeepOwnTag(tag);
        return tag;
    }

    private void MarkOwn(string tag, Func<PaneLine, PaneLine> mark)
    {
        if (!_ownLines.TryGetValue(tag, out var own))
            return;
        var index = own.Conversation.Lines.IndexOf(own.Line);
        if (index < 0)
        {
            _ownLines.Remove(tag); // scrolled out of the kept history
            return;
        }
        var marked = mark(own.Line);
        own.Conversation.Lines[index] = marked;
        _ownLines[tag] = (own.Conversation, marked);
        KeepDelivery(tag, own.Conversation, marked);
    }

    // True when the message mentions you or came to you directly (the UI rings the bell).
    private bool AddMessage(Conversation conversation, string from, string text, DateTimeOffset at, bool own, bool direct, string? keptId = null)
    {
        if (!_loading)
            Keep(conversation, from, text, at, own, direct, keptId);
        var action = text.StartsWith(PaneLine.ActionPrefix, StringComparison.Ordinal) && text.Length > PaneLine.ActionPrefix.Length;
        if (action)
            text = text[PaneLine.ActionPrefix.Length..];
        var mention = !own && Mentions.Contains(text, Me);
        var day = PaneFormat.Day(at, _zone);
        if (conversation.LastDay != day)
        {
            conversation.LastDay = day;
            Append(conversation, new PaneLine(PaneLineKind.DaySeparator, "", "", PaneFormat.DaySeparator(day)));
        }
        Append(conversation, new PaneLine(PaneLineKind.Message, PaneFormat.Time(at, _zone), from, text, own, direct, Mention: mention, Action: action));
        if (!own && conversation != Selected && !_loading)
        {
            conversation.Unread++;
            if (mention || direct)
                conversation.Highlights++;
        }
        return !own && !_loading && (mention || direct);
    }

    private void Notice(Conversation? conversation, string text) =>
        Append(conversation, new PaneLine(PaneLineKind.Notice, PaneFormat.Time(_now(), _zone), "", text));

    private void Error(Conversation? conversation, string text) =>
        Append(conversation, new PaneLine(PaneLineKind.Error, PaneFormat.Time(_now(), _zone), "", "! " + text));

    private void Append(Conversation? conversation, PaneLine line)
    {
        var lines = conversation?.Lines ?? _systemLines;
        lines.Add(line);
        if (lines.Count > MaxLinesPerConversation)
            lines.RemoveRange(0, lines.Count - MaxLinesPerConversation);
    }
}
