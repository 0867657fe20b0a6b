using Entice.Client.Keys;
using Entice.Client.Messages;
using Entice.Client.Rooms;
using Entice.Wire;

namespace Entice.Client.Commands;

/// <summary>
/// Carries out one <see cref="UserCommand"/>: text to <see cref="Outgoing"/>, key questions to the crypto
/// actor, joins and leaves to the server, answers about the roster at once. Quitting is not here: it
/// ends the input, which the chat actor's states handle (draining).
/// </summary>
internal sealed class CommandRunner(ClientSettings settings, RoomSync rooms, IChatOutput output, Screen screen, Outgoing outgoing)
{
    /// <param name="selectedRoom">The room the UI has selected; null for the current one.</param>
    /// <param name="online">Whether the server can be asked now (joins and leaves wait for no reconnect).</param>
    public void Execute(UserCommand command, string? selectedRoom, string? tag, bool online)
    {
        var roster = rooms.Roster;
        var room = selectedRoom ?? rooms.CurrentRoom;
        switch (command)
        {
            case UserCommand.Say say:
                outgoing.Say(room, say.Text, tag);
                break;
            case UserCommand.Direct dm:
                outgoing.SendDirect(room, dm.To, dm.Text, tag);
                break;
            case UserCommand.Who:
                screen.Show(new MembersEvent(room, roster.Present(room).Select(m => m.Name).Append(settings.Name).Order(StringComparer.Ordinal).ToList()));
                break;
            case UserCommand.Verify v when roster.FindPeer(v.Peer, room) is var (_, peer):
                output.ToCrypto(new CryptoAgent.ComputeSafetyNumber(peer));
                break;
            case UserCommand.Trust t when roster.FindPeer(t.Peer, room) is var (_, peer):
                output.ToCrypto(new CryptoAgent.Trust(peer));
                break;
            case UserCommand.MarkVerified mv when roster.FindPeer(mv.Peer, room) is var (_, peer):
                output.ToCrypto(new CryptoAgent.MarkVerified(peer));
                break;
            case UserCommand.Verify or UserCommand.Trust or UserCommand.MarkVerified:
                screen.Show(new ErrorEvent(ErrorCodes.NoSuchMember, "that person is not in any room you are in", tag));
                break;
            case UserCommand.Join or UserCommand.Leave when !online:
                screen.Show(new ErrorEvent(ErrorCodes.Disconnected, "not connected to the server right now; try again once reconnected", tag));
                break;
            case UserCommand.Join join when !Names.IsValidRoom(join.Room):
                screen.Show(new ErrorEvent(ErrorCodes.InvalidRoom, "room names are 1-64 letters, digits, '_', '-', '.' or '#'", tag));
                break;
            case UserCommand.Join join when roster.IsIn(join.Room):
                rooms.CurrentRoom = join.Room;
                screen.Show(new RoomEnteredEvent(join.Room));
                break;
            case UserCommand.Join join:
                output.ToServer(new JoinRoom(join.Room));
                break;
            case UserCommand.Leave leave:
                var leaving = leave.Room ?? room;
                if (roster.IsIn(leaving))
                    output.ToServer(new LeaveRoom(leaving));
                else
                    screen.Show(new ErrorEvent(ErrorCodes.NotInRoom, $"you are not in room {leaving}", tag));
                if (leaving == rooms.CurrentRoom)
                    rooms.CurrentRoom = roster.Rooms.FirstOrDefault(r => r != leaving) ?? rooms.CurrentRoom;
                break;
            case UserCommand.Invalid invalid:
                screen.Show(new ErrorEvent(ErrorCodes.UnknownCommand, invalid.Usage, tag));
                break;
        }
    }
}
