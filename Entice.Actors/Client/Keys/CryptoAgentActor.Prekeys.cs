using Akka.Event;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Client.Keys;

/// <summary>
/// Prekey management: the signed prekey's rotation (its age kept in <see cref="CryptoAgent.PrekeyInfoFileName"/>,
/// written with the next save), our one-time prekeys (topped up and offered for publishing when they run low),
/// and the peers' one-time prekeys the relay hands us for the next session we start with them.
/// </summary>
internal sealed partial class CryptoAgentActor
{
    private readonly int _prekeyBatch;
    private readonly int _prekeyLow;
    private readonly TimeSpan _rotation;
    private readonly Dictionary<string, OneTimePrekey> _offered = new(StringComparer.Ordinal);
    private bool _publishing;
    private IdentityBundle _bundle;
    private (uint Id, DateTimeOffset CreatedAt) _prekeyInfo;
    private bool _prekeyInfoDue;

    private void OnProvidePrekey(CryptoAgent.ProvidePrekey p)
    {
        // From the relay, unsigned: a low-order or malformed one would only make the X3DH fail.
        if (PublicKeyCheck.IsUsableX25519(p.Prekey.PublicKey))
            _offered[p.Peer] = p.Prekey;
        else
            _log.Warning("The server gave an unusable one-time prekey for {Peer}; starting without one", p.Peer);
    }

    private CryptoAgent.PrekeysToPublish PrekeysToPublish()
    {
        if (_sessions.OneTimePrekeys.TopUp(_prekeyBatch).Count > 0)
            Changed();
        return new CryptoAgent.PrekeysToPublish(
            _sessions.OneTimePrekeys.PublicKeys.Select(p => new OneTimePrekey(p.Id, p.PublicKey)).ToList());
    }

    /// <summary>Sessions started with us used up one-time prekeys: offer a fresh batch before they run out.</summary>
    private void TopUpIfLow()
    {
        if (_publishing && _sessions.OneTimePrekeys.Remaining < _prekeyLow)
            Answer(PrekeysToPublish());
    }

    private void RotateIfDue()
    {
        var now = _clock();
        if (_rotation == Timeout.InfiniteTimeSpan || now - _prekeyInfo.CreatedAt < _rotation)
            return;
        using var prekey = SignedPrekey.Create(_identity, NewPrekeyId());
        _sessions.AddSignedPrekey(prekey);
        _log.Info("Rotated the signed prekey (#{Old} -> #{New})", _prekeyInfo.Id, prekey.Id);
        _prekeyInfo = (prekey.Id, now);
        _bundle = _sessions.CreateBundle();
        _prekeyInfoDue = true;
        Changed();
    }

    private uint NewPrekeyId()
    {
        // Random, so a restored old copy of the key directory cannot reissue an id a peer has seen.
        uint id;
        do
            id = (uint)Random.Shared.Next(1, int.MaxValue);
        while (_sessions is not null && id == _sessions.CurrentSignedPrekeyId);
        return id;
    }

    /// <summary>When the current signed prekey was made; an unknown or mismatching record counts as now (and is rewritten).</summary>
    private (uint Id, DateTimeOffset CreatedAt) ReadPrekeyInfo()
    {
        var current = _sessions.CurrentSignedPrekeyId;
        try
        {
            var parts = File.ReadAllText(Path.Combine(_keys.Path, CryptoAgent.PrekeyInfoFileName)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && uint.TryParse(parts[0], out var id) && id == current
                && long.TryParse(parts[1], out var ms) && ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                return (id, DateTimeOffset.FromUnixTimeMilliseconds(ms));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        _prekeyInfoDue = true;
        _dirty = true;
        return (current, _clock());
    }

    private string PrekeyInfoText() => $"{_prekeyInfo.Id} {_prekeyInfo.CreatedAt.ToUnixTimeMilliseconds()}\n";

    /// <summary>Only when stopping (see <see cref="PostStop"/>); otherwise the key writer writes it.</summary>
    private void WritePrekeyInfoNow()
    {
        try
        {
            KeyFiles.WritePrivateFileAtomic(Path.Combine(_keys.Path, CryptoAgent.PrekeyInfoFileName),
                System.Text.Encoding.ASCII.GetBytes(PrekeyInfoText()), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not record the signed prekey's age: {Error}", ex.Message);
        }
    }
}
