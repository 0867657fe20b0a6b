namespace Entice.Crypto.Storage;

/// <summary>File helpers for the key directory: everything in it is readable by its owner only.</summary>
internal static class KeyFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerAll);
    }

    /// <summary>
    /// Write a file created with mode 0600 from the start (not chmod after), so there is no moment in
    /// which another user could open it. <paramref name="durable"/> false leaves the bytes in the page cache
    /// (they survive a crash of the process, not a power cut) until <see cref="Sync"/> or the kernel flushes them.
    /// </summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content, bool overwrite, bool durable = true)
    {
        var options = new FileStreamOptions
        {
            Mode = overwrite ? FileMode.Create : FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: durable);
        }

        // UnixCreateMode applies only when the file is new; an overwritten file keeps its old mode.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerReadWrite);
        }
    }

    /// <summary>
    /// Replace (or create) <paramref name="path"/> atomically: write a private temp file next to it, then
    /// rename it over the target, so a crash leaves the old file or the new one, never half of either.
    /// With <paramref name="overwrite"/> false an existing file is left alone and IOException is thrown.
    /// <paramref name="durable"/> false: no fsync (see <see cref="WritePrivateFile"/>).
    /// </summary>
    public static void WritePrivateFileAtomic(string path, ReadOnlySpan<byte> content, bool overwrite, bool durable = true)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            WritePrivateFile(temp, content, overwrite: false, durable);
            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Flush <paramref name="path"/> (whatever file the name points to now) to disk, if it exists.</summary>
    public static void Sync(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        RandomAccess.FlushToDisk(handle);
    }
}
