namespace Entice.ClientNode.Ui.Presentation;

// The conversation list (rooms and direct ones, the selected one, unread counts) and the members of each.
public sealed partial class ChatPresenter
{
    /// <summary>The member list for the selected conversation: yourself first, then the others by name.</summary>
    public IReadOnlyList<MemberView> Members
    {
        get
        {
            var selected = Selected;
            if (selected is null)
                return [];
            if (selected.IsDirect)
                return [new MemberView(Me, true, true, KeyState.Unverified), new MemberView(selected.Name, IsOnline(selected.Name), false, KeyOf(selected.Name))];
            if (!_members.TryGetValue(selected.Name, out var room))
                return [new MemberView(Me, true, true, KeyState.Unverified)];
            return [new MemberView(Me, true, true, KeyState.Unverified),
                .. room.Where(m => m.Key != Me).Select(m => new MemberView(m.Key, m.Value, false, KeyOf(m.Key)))];
        }
    }

    private bool IsOnline(string name) => _members.Values.Any(r => r.TryGetValue(name, out var online) && online);

    public void Select(int index)
    {
        if (index < 0 || index >= _conversations.Count)
            return;
        _selected = index;
        _conversations[index].Unread = 0;
        _conversations[index].Highlights = 0;
    }

    /// <summary>
    /// Alt+A: the next conversation (after the selected one, round) with unread mentions or direct
    /// messages, else the next with any unread message. False when there is none.
    /// </summary>
    public bool SelectNextActive()
    {
        var count = _conversations.Count;
        var order = Enumerable.Range(1, count).Select(i => (_selected + i + count) % count).ToList();
        var next = order.Where(i => _conversations[i].Highlights > 0).Cast<int?>().FirstOrDefault()
            ?? order.Where(i => _conversations[i].Unread > 0).Cast<int?>().FirstOrDefault();
        if (next is not int n || n == _selected)
            return false;
        Select(n);
        return true;
    }

    /// <summary>For Tab: the selected conversation's members (you left out), then every other name known.</summary>
    public IReadOnlyList<string> CompletionNames()
    {
        var here = Members.Where(m => !m.IsMe).Select(m => m.Name);
        var others = _members.Values.SelectMany(r => r.Keys)
            .Concat(_conversations.Where(c => c.IsDirect).Select(c => c.Name))
            .Order(StringComparer.Ordinal);
        return here.Concat(others).Where(n => n != Me).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>For Tab after <c>/join </c>: the rooms you are in.</summary>
    public IReadOnlyList<string> RoomNames() => _conversations.Where(c => !c.IsDirect).Select(c => c.Name).ToList();

    public void SelectNext() => Select(_conversations.Count == 0 ? -1 : (_selected + 1) % _conversations.Count);

    public void SelectPrevious() => Select(_conversations.Count == 0 ? -1 : (_selected - 1 + _conversations.Count) % _conversations.Count);

    private SortedDictionary<string, bool> MembersOf(string room)
    {
        if (!_members.TryGetValue(room, out var members))
            _members[room] = members = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        return members;
    }

    private int OpenRoom(string room)
    {
        var index = _conversations.FindIndex(c => !c.IsDirect && c.Name == room);
        if (index >= 0)
            return index;
        // Rooms first, in the order joined; direct conversations after them.
        var at = _conversations.FindIndex(c => c.IsDirect);
        at = at < 0 ? _conversations.Count : at;
        var selected = Selected;
        _conversations.Insert(at, new Conversation(room, direct: false));
        if (selected is not null)
            _selected = _conversations.IndexOf(selected);
        FillKept(_conversations[at]);
        if (_systemLines.Count > 0)
        {
            _conversations[at].Lines.AddRange(_systemLines);
            _systemLines.Clear();
        }
        return at;
    }

    private Conversation OpenDirect(string peer)
    {
        var existing = _conversations.Find(c => c.IsDirect && c.Name == peer);
        if (existing is not null)
            return existing;
        var conversation = new Conversation(peer, direct: true);
        _conversations.Add(conversation);
        FillKept(conversation);
        return conversation;
    }

    private void CloseConversation(int index)
    {
        if (index < 0)
            return;
        var selected = Selected;
        _conversations.RemoveAt(index);
        _selected = selected is not null && _conversations.IndexOf(selected) is var kept and >= 0
            ? kept
            : Math.Min(index, _conversations.Count - 1);
        if (_selected >= 0)
        {
            _conversations[_selected].Unread = 0;
            _conversations[_selected].Highlights = 0;
        }
    }

    private HashSet<string> GoneFrom(string room)
    {
        if (!_gone.TryGetValue(room, out var gone))
            _gone[room] = gone = new HashSet<string>(StringComparer.Ordinal);
        return gone;
    }

    // /names: who is here and who is away (their messages are kept), from what the events said.
    private void Names(Conversation? selected)
    {
        if (selected is null or { IsDirect: true })
        {
            Error(CurrentOrSystem(), "/names lists a room's members; select a room first.");
            return;
        }
        var members = _members.GetValueOrDefault(selected.Name) ?? [];
        var gone = _gone.GetValueOrDefault(selected.Name) ?? [];
        var here = members.Where(m => m.Value && m.Key != Me).Select(m => V(m.Key)).Prepend($"{Me} (you)");
        var away = members.Where(m => !m.Value && m.Key != Me && !gone.Contains(m.Key)).Select(m => V(m.Key)).ToList();
        Notice(selected, $"In #{V(selected.Name)}: {string.Join(", ", here)}" + (away.Count > 0 ? $"; away: {string.Join(", ", away)}" : "; nobody away"));
    }

    private Conversation? RoomOrSystem(string room) => _conversations.Find(c => !c.IsDirect && c.Name == room);

    private Conversation? CurrentOrSystem() => Selected;
}
