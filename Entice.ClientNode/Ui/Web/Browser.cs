using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Entice.ClientNode.Ui.Web;

/// <summary>Opens the page in the user's browser where the system can (xdg-open, open, start); never fails.</summary>
internal static class Browser
{
    /// <summary>Whether a browser was asked to open <paramref name="url"/> (not whether it did).</summary>
    public static bool TryOpen(Uri url)
    {
        try
        {
            var start = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true }
                : new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", url.AbsoluteUri)
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true, // the opener's chatter stays off the user's terminal
                    RedirectStandardError = true,
                };
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                && Environment.GetEnvironmentVariable("DISPLAY") is null && Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is null)
                return false; // no desktop to show a browser on
            using var process = Process.Start(start);
            if (process is null)
                return false;
            // Not waited for: xdg-open may stay until the browser exits. Its output is drained and dropped.
            _ = process.StandardOutput?.ReadToEndAsync();
            _ = process.StandardError?.ReadToEndAsync();
            return true;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException or IOException)
        {
            return false;
        }
    }
}
