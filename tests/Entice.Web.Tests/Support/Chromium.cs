using Microsoft.Playwright;

namespace Entice.Web.Tests.Support;

/// <summary>
/// Debian's chromium, driven by Playwright through ExecutablePath (Playwright's own browser download
/// cannot work here). Without /usr/bin/chromium the browser specs are skipped with that reason, except
/// in CI (CI=true), where .ci/run installs it and a missing browser fails the run.
/// </summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    public static string? SkipReason =>
        File.Exists(Path) || Environment.GetEnvironmentVariable("CI") == "true"
            ? null
            : $"{Path} not found: install Debian's chromium (apt-get install chromium) to run the browser specs";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = Args,
        });
}

/// <summary>A fact that needs the browser: skipped (with the reason) where chromium is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>One Playwright driver and one browser for all specs; each spec opens its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("browser not started");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        if (Chromium.SkipReason is not null)
            return;
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;
