using System.Collections.ObjectModel;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>Several relays answered: a list to pick one from, before the chat screen opens.</summary>
internal static class ServerPickerDialog
{
    /// <returns>The index of the relay picked, or null when the user quit (Esc or "Quit").</returns>
    public static int? Pick(IReadOnlyList<string> servers)
    {
        var app = Application.Create().Init();
        try
        {
            using var dialog = new Dialog { Title = "Entice servers on this network", Width = Dim.Percent(90), Height = Dim.Percent(80) };
            dialog.Add(new Label { X = 1, Y = 0, Text = "Pick one with the arrow keys, then Enter to connect (Esc: quit):" });
            var list = new ListView { X = 1, Y = 2, Width = Dim.Fill(1), Height = Dim.Fill(2) };
            list.SetSource(new ObservableCollection<string>(servers));
            list.SelectedItem = 0;
            dialog.Add(list);
            // Connect is the default (Enter on the list); Esc or Quit closes with nothing picked.
            dialog.AddButton(new Button { Text = "Quit" });
            dialog.AddButton(new Button { Text = "Connect", IsDefault = true });
            list.SetFocus();
            app.Run(dialog);
            return dialog.Result == 1 && list.SelectedItem is int picked && picked >= 0 && picked < servers.Count ? picked : null;
        }
        finally
        {
            app.Dispose();
        }
    }
}
