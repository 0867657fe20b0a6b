using System.Text.Json.Nodes;
using Entice.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Entice.Web.Tests;

/// <summary>
/// The README's pictures of the page (light and dark, wide and phone width) over a small made-up
/// conversation. Written to docs/screenshots/ when ENTICE_SCREENSHOTS=1, else to a temporary folder.
/// (The safety-number picture, with a real QR code, comes from LiveSpecs.)
/// </summary>
[Collection("browser")]
public sealed class ScreenshotSpecs(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task Light_and_dark_wide_and_phone()
    {
        var dir = Environment.GetEnvironmentVariable("ENTICE_SCREENSHOTS") == "1"
            ? Path.Combine(Repo.Root, "docs", "screenshots")
            : Directory.CreateTempSubdirectory("entice-screens").FullName;
        Directory.CreateDirectory(dir);
        foreach (var (scheme, theme) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            foreach (var (width, height, size) in new[] { (1200, 720, "wide"), (380, 760, "phone") })
            {
                var file = Path.Combine(dir, $"web-{theme}-{size}.png");
                await ShootAsync(scheme, width, height, file);
                Assert.True(new FileInfo(file).Length > 10_000, file);
            }
        }
    }

    private async Task ShootAsync(ColorScheme scheme, int width, int height, string file)
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        var node = new FakeClientNode();
        node.Keys["carol"] = "verified";
        node.Members["lobby"] = ["alice", "bob", "carol", "dave"];
        node.Conversations["@dave"] = 2;
        var yesterday = DateTimeOffset.UtcNow.Date.AddDays(-1).AddHours(18);
        node.History["#lobby"] =
        [
            Kept("k1", "bob", "Who is bringing the projector tomorrow?", yesterday, own: false),
            Kept("k2", "alice", "I can. Also the long HDMI cable.", yesterday.AddMinutes(3), own: true),
            Kept("k3", "carol", "Great, thanks!\nRoom 2.14 at 10:00, I booked it.", yesterday.AddMinutes(5), own: false),
        ];
        await node.AttachAsync(page);
        await page.GotoAsync(FakeClientNode.Origin + "/#token=" + FakeClientNode.Token);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-history", "1");
        if (width > 760)
            await page.Locator(".conv[data-key='#lobby']").ClickAsync();
        else
        {
            await page.Locator("#menu-button").ClickAsync();
            await page.Locator(".conv[data-key='#lobby']").ClickAsync();
        }

        var now = DateTimeOffset.UtcNow;
        node.Message("lobby", "bob", "Morning! Slides are in the shared folder.", at: now.AddMinutes(-9));
        node.Message("lobby", "carol", "alice, can you check slide 4? The numbers look off.", at: now.AddMinutes(-4));
        node.Message("games", "bob", "rematch tonight?", at: now.AddMinutes(-2));
        await Expect(page.Locator(".msg .text").Last).ToContainTextAsync("slide 4");
        await page.Locator("#input").FillAsync("On it, give me five minutes.");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.own .ticks").Last).ToHaveTextAsync("✓");
        node.Notify("delivered", new { id = "m1", to = "bob", time = now.ToString("O") });
        await page.Locator("#input").FillAsync("Typing a second line here…");
        await page.WaitForTimeoutAsync(200); // the theme's transitions settle
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
    }

    private static JsonObject Kept(string id, string from, string text, DateTimeOffset at, bool own) => new()
    {
        ["id"] = id, ["from"] = from, ["text"] = text, ["direct"] = false, ["own"] = own,
        ["delivery"] = own ? "delivered" : "none", ["sent_at"] = at.ToString("O"),
    };
}
