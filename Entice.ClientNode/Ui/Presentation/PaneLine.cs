using System.Globalization;

namespace Entice.ClientNode.Ui.Presentation;

public enum PaneLineKind
{
    Message,
    /// <summary>"── Thursday 26 November 2026 ──": the first line of each local calendar day.</summary>
    DaySeparator,
    /// <summary>Joins, leaves, room changes, member lists: dimmed.</summary>
    Notice,
    /// <summary>An <see cref="ErrorEvent"/> or a security warning: red.</summary>
    Error,
}

/// <summary>One line of the message pane, already formatted; the terminal code only picks colours.</summary>
public sealed record PaneLine(PaneLineKind Kind, string Time, string Sender, string Text, bool Own = false, bool Direct = false, bool Sent = false, bool Delivered = false, bool Mention = false, bool Action = false)
{
    /// <summary>In the marker column of a message that mentions you (its text is highlighted too).</summary>
    public const string MentionMarker = "»";

    /// <summary>What a message starting with this is: an action, shown as <c>* alice waves</c>.</summary>
    public const string ActionPrefix = "/me ";

    /// <summary>The marker in front of own messages.</summary>
    public const string OwnMarker = "▸";

    /// <summary>After an own message the server has taken (for every recipient).</summary>
    public const string SentMark = "✓";

    /// <summary>After an own message a recipient's client decrypted (a receipt came back).</summary>
    public const string DeliveredMark = "✓✓";

    /// <summary>The delivery mark to show after the text, if any.</summary>
    public string Mark => Delivered ? DeliveredMark : Sent ? SentMark : "";

    /// <summary>The marker column: own, mention or blank.</summary>
    public string Marker => Own ? OwnMarker : Mention ? MentionMarker : " ";

    /// <summary>Palette slot for the sender (see <see cref="NameColors"/>); -1 when there is no sender.</summary>
    public int ColorIndex(int paletteSize) => Sender.Length == 0 ? -1 : NameColors.IndexFor(Sender, paletteSize);

    /// <summary>The whole line as plain text, e.g. <c>14:03 ▸ alice: hi</c> or <c>14:03   bob: hello</c>.</summary>
    public string Plain => Kind switch
    {
        PaneLineKind.Message when Action => $"{Time} {Marker} * {Sender} {Text}{(Mark.Length > 0 ? " " + Mark : "")}",
        PaneLineKind.Message => $"{Time} {Marker} {Sender}: {Text}{(Mark.Length > 0 ? " " + Mark : "")}",
        PaneLineKind.DaySeparator => Text,
        _ => $"{Time} {Text}",
    };
}

public static class PaneFormat
{
    public static string Time(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static DateOnly Day(DateTimeOffset at, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    public static string DaySeparator(DateOnly day) =>
        $"──── {day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} ────";
}
