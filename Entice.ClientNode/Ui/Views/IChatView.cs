using Entice.Client;
namespace Entice.ClientNode.Ui.Views;

/// <summary>Shows chat events to a person or a script. Called from one actor, so never concurrently.</summary>
public interface IChatView
{
    void Show(ChatEvent e);
}
