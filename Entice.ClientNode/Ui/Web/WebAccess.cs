using System.Security.Cryptography;
using System.Text;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// Who may drive the client through the web page: whoever holds the one-time token printed at start.
/// The page exchanges it once (POST /session) for the session secret, which it presents on every
/// WebSocket upgrade. Both are 256 random bits; a token is good for one exchange only, the secret for
/// this run of the client. Comparisons take the same time whatever matches.
/// </summary>
public sealed class WebAccess
{
    private readonly byte[] _token;
    private readonly byte[] _session;
    private int _spent;

    public WebAccess()
    {
        Token = NewSecret();
        Session = NewSecret();
        _token = Encoding.ASCII.GetBytes(Token);
        _session = Encoding.ASCII.GetBytes(Session);
    }

    /// <summary>The one-time token (base64url, 43 characters): in the URL's fragment, never sent in a request line.</summary>
    public string Token { get; }

    /// <summary>The session secret the token is exchanged for.</summary>
    internal string Session { get; }

    public enum Outcome
    {
        Granted,
        /// <summary>No token presented: 401.</summary>
        Missing,
        /// <summary>Not the token: 403.</summary>
        Wrong,
        /// <summary>The token, a second time: 403.</summary>
        Spent,
    }

    /// <summary>Exchanges the token for the session secret, once.</summary>
    public Outcome Exchange(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
            return Outcome.Missing;
        if (!Same(presented, _token))
            return Outcome.Wrong;
        return Interlocked.Exchange(ref _spent, 1) == 0 ? Outcome.Granted : Outcome.Spent;
    }

    /// <summary>Whether <paramref name="presented"/> is the session secret (and the token was exchanged for it).</summary>
    public bool IsSession(string? presented) =>
        !string.IsNullOrEmpty(presented) && Volatile.Read(ref _spent) == 1 && Same(presented, _session);

    private static bool Same(string presented, byte[] expected) =>
        presented.Length == expected.Length && Ascii(presented) is { } bytes && CryptographicOperations.FixedTimeEquals(bytes, expected);

    private static byte[]? Ascii(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7e || c < 0x21)
                return null;
        }
        return Encoding.ASCII.GetBytes(s);
    }

    private static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
