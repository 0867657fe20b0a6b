namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// <c>/forget</c>: ask whether to delete the kept history of <paramref name="Title"/>; on yes, call
/// <see cref="ChatPresenter.Forget"/> with <paramref name="Conversation"/>.
/// </summary>
public sealed record ConfirmForgetAction(string Conversation, string Title) : InputAction;
