using System.Collections.Concurrent;

namespace Routing.Simulator.Media;

internal enum MediaOutcomeKind
{
    /// <summary>Plays for Duration, then PlaybackFinished "done".</summary>
    Plays,
    /// <summary>The sound file does not exist: PlaybackStarted then PlaybackFinished "failed" at once.</summary>
    Missing,
    /// <summary>Unknown URI scheme: PlaybackStarted and never a PlaybackFinished (trace: nosuchscheme:foo).</summary>
    UnsupportedScheme,
}

internal readonly record struct MediaOutcome(MediaOutcomeKind Kind, TimeSpan Duration);

/// <summary>Decides what a media URI does when played: how long, or how it fails.</summary>
internal sealed class MediaCatalog(SimulatorOptions options)
{
    // The schemes res_stasis_playback.c knows.
    private static readonly string[] KnownSchemes = ["sound", "recording", "number", "digits", "characters", "tone"];
    private readonly ConcurrentDictionary<string, MediaOutcome> _wavCache = new(StringComparer.Ordinal);

    public MediaOutcome Resolve(string mediaUri, string language)
    {
        if (options.SoundDurations.TryGetValue(mediaUri, out var known)) return new(MediaOutcomeKind.Plays, known);
        int colon = mediaUri.IndexOf(':');
        string scheme = colon < 0 ? "" : mediaUri[..colon];
        if (!KnownSchemes.Contains(scheme)) return new(MediaOutcomeKind.UnsupportedScheme, TimeSpan.Zero);
        if (scheme == "sound" && options.SoundsDirectory is { } dir) return ResolveSound(dir, mediaUri[(colon + 1)..], language);
        return new(MediaOutcomeKind.Plays, options.DefaultPromptDuration);
    }

    /// <summary>Like Asterisk: &lt;dir&gt;/&lt;lang&gt;/&lt;name&gt; first, then &lt;dir&gt;/&lt;name&gt;.</summary>
    private MediaOutcome ResolveSound(string dir, string name, string language)
    {
        string root = Path.GetFullPath(dir);
        foreach (var candidate in new[] { Path.Combine(root, language, name + ".wav"), Path.Combine(root, name + ".wav") })
        {
            string full = Path.GetFullPath(candidate);
            if (!full.StartsWith(root, StringComparison.Ordinal)) return new(MediaOutcomeKind.Missing, TimeSpan.Zero); // ../ escapes the sounds dir
            if (!File.Exists(full)) continue;
            return _wavCache.GetOrAdd(full, static path =>
            {
                try
                {
                    return new(MediaOutcomeKind.Plays, WavDuration.Read(path));
                }
                catch (InvalidDataException)
                {
                    // Asterisk cannot play a broken file either: the playback fails.
                    return new(MediaOutcomeKind.Missing, TimeSpan.Zero);
                }
            });
        }
        return new(MediaOutcomeKind.Missing, TimeSpan.Zero);
    }
}
