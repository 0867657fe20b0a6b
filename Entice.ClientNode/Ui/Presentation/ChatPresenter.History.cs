using System.Globalization;
using System.Security.Cryptography;
using Entice.Client.History;
using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// The kept history (issue 18): what the panes show is written to the <see cref="HistoryWriter"/> (sealed
/// on disk, never waited for), loaded back into the panes at start, searched with <c>/search</c> and
/// deleted with <c>/forget</c>. The lines typed are kept the same way (Up/Down and Ctrl+R after a restart).
/// Without <see cref="AttachHistory"/> (line and JSON modes, or keep = 0) nothing is kept.
/// </summary>
public sealed partial class ChatPresenter
{
    private const int MaxSearchResults = 500;

    // Per conversation (#room, @peer): what was kept, oldest first: loaded at start, then appended.
    private readonly Dictionary<string, List<KeptMessage>> _kept = new(StringComparer.Ordinal);
    // Own message tag -> its kept id and the delivery state recorded for it.
    private readonly Dictionary<string, (string Id, Delivery State)> _keptOwn = new(StringComparer.Ordinal);
    private HistoryWriter? _writer;
    private int _keepMax = 10_000;
    private string? _lastKeptId;
    // Received messages kept under their envelope id (issue 17): a copy delivered again after a crash is not shown twice.
    private readonly HashSet<(string Conversation, string From, string Id)> _keptReceived = [];
    private readonly Queue<(string Conversation, string From, string Id)> _keptReceivedOrder = new();
    private const int MaxKeptReceived = 10_000; // the newest received this run (a copy after a crash comes soon)

    private static string? ReceivedId(Entice.Client.MessageEvent m) => m.EnvelopeId is { } id ? KeptMessage.ReceivedId(id) : null;

    private bool KeptBefore(Entice.Client.MessageEvent m) =>
        _writer is not null && ReceivedId(m) is { } id
        && _keptReceived.Contains((m.Direct ? KeptMessage.DirectWith(m.From) : KeptMessage.Room(m.Room), V(m.From), id));
    private bool _loading;
    private (Conversation Conversation, string Query, List<PaneLine> Lines)? _search;

    /// <summary>Whether messages and typed lines are kept on disk.</summary>
    public bool KeepsHistory => _writer is not null;

    /// <summary>While <c>/search</c> results show: Esc or Enter goes back to the conversation.</summary>
    public bool IsSearching => SearchLines is not null;

    /// <summary>The message pane's title: the conversation, or what was searched in it.</summary>
    public string PaneTitle => _search is { } s && IsSearching
        ? $"{s.Conversation.Title}: \"{PeerText.Visible(s.Query)}\", {s.Lines.Count} found (Esc: back)"
        : Selected is { IsDirect: false } room && TopicOf(room.Name) is { } topic ? $"{room.Title}: {topic}" : Selected?.Title ?? "Entice";

    private IReadOnlyList<PaneLine>? SearchLines =>
        _search is { } s && ReferenceEquals(s.Conversation, Selected) ? s.Lines : null;

    /// <summary>
    /// Keep what is shown from now on through <paramref name="writer"/>, and show <paramref name="kept"/>:
    /// typed lines go into the input history, direct conversations open now, a room's messages show
    /// when the room opens (at start, or on <c>/join</c>). Call before the first event.
    /// </summary>
    public void AttachHistory(HistoryWriter writer, KeptHistory kept)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(kept);
        _writer = writer;
        _keepMax = writer.Settings.MaxPerConversation;
        foreach (var (conversation, messages) in kept.Conversations)
        {
            _kept[conversation] = [.. messages];
            foreach (var m in messages.Where(m => m.KeptByEnvelope).TakeLast(256)) // the newest: a copy after a crash comes soon
                _keptReceived.Add((conversation, m.From, m.Id));
        }
        foreach (var line in kept.Input)
            History.Add(line);
        foreach (var conversation in kept.Conversations.Keys.Where(k => k.StartsWith('@')).Order(StringComparer.Ordinal))
            OpenDirect(conversation[1..]);
        if (kept.Problems.Count > 0)
            Error(null, $"{kept.Problems.Count} problem(s) reading the kept history (damaged or altered records were skipped; see client.log).");
    }

    /// <summary>Back from <c>/search</c> results to the conversation.</summary>
    public void EndSearch() => _search = null;

    /// <summary>After the user confirmed <c>/forget</c>: the conversation's kept history is deleted.</summary>
    public void Forget(string conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (_writer is null)
            return;
        _writer.Forget(conversation);
        _kept.Remove(conversation);
        _search = null;
        var pane = _conversations.Find(c => KeyOf(c) == conversation) ?? Selected;
        Notice(pane, $"The kept history of {PeerText.Visible(conversation)} is deleted (this pane keeps what it shows until /clear).");
    }

    /// <summary>The kept messages of a conversation (for specs and a future history query).</summary>
    public IReadOnlyList<KeptMessage> KeptOf(string conversation) => _kept.TryGetValue(conversation, out var kept) ? kept : [];

    private static string KeyOf(Conversation conversation) =>
        conversation.IsDirect ? KeptMessage.DirectWith(conversation.Name) : KeptMessage.Room(conversation.Name);

    // /search TEXT and /forget; null for any other command.
    private IReadOnlyList<InputAction>? HistoryCommand(string verb, string line, Conversation? selected)
    {
        if (verb == "/topic")
            return TopicCommand(line, selected);
        if (verb is not ("/search" or "/forget"))
            return null;
        if (selected is null)
        {
            Error(CurrentOrSystem(), $"{verb} works on a conversation; none is open yet.");
            return [];
        }
        if (_writer is null)
        {
            Error(selected, "No history is kept (entice.client.history.keep = 0, or not the terminal UI).");
            return [];
        }
        if (verb == "/forget")
            return [new ConfirmForgetAction(KeyOf(selected), selected.Title)];
        var query = line.Length > verb.Length ? line[verb.Length..].Trim() : "";
        if (query.Length == 0)
        {
            Error(selected, "usage: /search TEXT (case-insensitive, in this conversation's kept history)");
            return [];
        }
        Search(selected, query);
        return [];
    }

    private void Search(Conversation conversation, string query)
    {
        var found = KeptOf(KeyOf(conversation)).Where(m => m.Text.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        var lines = found.Skip(Math.Max(0, found.Count - MaxSearchResults)).Select(ResultLine).ToList();
        if (lines.Count == 0)
            lines.Add(new PaneLine(PaneLineKind.Notice, "", "", $"Nothing kept in {conversation.Title} contains \"{PeerText.Visible(query)}\". Esc: back"));
        else if (found.Count > lines.Count)
            lines.Insert(0, new PaneLine(PaneLineKind.Notice, "", "", $"{found.Count} found; the newest {lines.Count} show."));
        _search = (conversation, query, lines);
    }

    private PaneLine ResultLine(KeptMessage m)
    {
        var action = m.Text.StartsWith(PaneLine.ActionPrefix, StringComparison.Ordinal) && m.Text.Length > PaneLine.ActionPrefix.Length;
        var time = TimeZoneInfo.ConvertTime(m.At, _zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new PaneLine(PaneLineKind.Message, time, PeerText.Visible(m.From), action ? m.Text[PaneLine.ActionPrefix.Length..] : m.Text,
            m.Own, m.Direct, m.Delivery >= Delivery.Sent, m.Delivery == Delivery.Delivered, Action: action);
    }

    // A message the pane now shows: kept (the writer seals and appends it on its own thread).
    private void Keep(Conversation conversation, string from, string text, DateTimeOffset at, bool own, bool direct, string? id = null)
    {
        _lastKeptId = null;
        if (_writer is null)
            return;
        var key = KeyOf(conversation);
        var message = new KeptMessage(id ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), key, from, text, at, own, direct, Delivery.None);
        if (message.KeptByEnvelope && _keptReceived.Add((key, from, message.Id)))
        {
            _keptReceivedOrder.Enqueue((key, from, message.Id));
            while (_keptReceivedOrder.Count > MaxKeptReceived)
                _keptReceived.Remove(_keptReceivedOrder.Dequeue());
        }
        _writer.Append(message);
        if (!_kept.TryGetValue(key, out var kept))
            _kept[key] = kept = [];
        kept.Add(message);
        if (kept.Count > _keepMax + (_keepMax / 10))
            kept.RemoveRange(0, kept.Count - _keepMax);
        _lastKeptId = message.Id;
    }

    private void KeepOwnTag(string tag)
    {
        if (_lastKeptId is { } id)
            _keptOwn[tag] = (id, Delivery.None);
    }

    private void KeepDelivery(string tag, Conversation conversation, PaneLine marked)
    {
        if (_writer is null || !_keptOwn.TryGetValue(tag, out var own))
            return;
        var state = marked.Delivered ? Delivery.Delivered : marked.Sent ? Delivery.Sent : Delivery.None;
        if (state <= own.State)
            return;
        _writer.MarkDelivery(KeyOf(conversation), own.Id, state);
        if (_kept.TryGetValue(KeyOf(conversation), out var kept) && kept.FindLastIndex(m => m.Id == own.Id) is var i and >= 0)
            kept[i] = kept[i] with { Delivery = state };
        if (state == Delivery.Delivered)
            _keptOwn.Remove(tag);
        else
            _keptOwn[tag] = (own.Id, state);
    }

    private void KeepInput(string line)
    {
        if (line.Length <= InputHistory.MaxLineLength)
            _writer?.AppendInput(line);
    }

    // A conversation just opened: its kept messages first (no unread counts, no bell, not kept again).
    private void FillKept(Conversation conversation)
    {
        if (!_kept.TryGetValue(KeyOf(conversation), out var kept) || kept.Count == 0)
            return;
        _loading = true;
        try
        {
            foreach (var m in kept.Skip(Math.Max(0, kept.Count - MaxLinesPerConversation)))
            {
                AddMessage(conversation, PeerText.Visible(m.From), Body(m.Text), m.At, m.Own, m.Direct);
                if (m.Delivery != Delivery.None)
                    conversation.Lines[^1] = conversation.Lines[^1] with { Sent = true, Delivered = m.Delivery == Delivery.Delivered };
            }
        }
        finally
        {
            _loading = false;
        }
        Notice(conversation, $"── {kept.Count} kept message(s) above, from earlier runs (/search TEXT) ──");
    }
}
