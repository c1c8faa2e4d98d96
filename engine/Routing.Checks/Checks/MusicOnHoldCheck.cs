using Routing.Checks.Asterisk;
using Routing.Checks.Prompts;

namespace Routing.Checks.Checks;

/// <summary>
/// musiconhold.conf: the class the engine's music on hold uses exists and has audio. ARI answers
/// <c>POST /channels/{id}/moh</c> with 204 even when the class is missing or its directory is
/// empty (res_musiconhold only logs a warning), so without this check a caller on hold hears silence.
/// </summary>
internal static class MusicOnHoldCheck
{
    /// <summary>The engine starts channel MOH without a class, so Asterisk plays "default".</summary>
    public const string EngineClass = "default";

    /// <summary>Where the repository keeps the hold audio install.sh copies into the class's directory.</summary>
    public const string RepositoryAudioDir = "moh";

    /// <summary>Asterisk's data directory (astdatadir), which a relative <c>directory</c> is read under.</summary>
    public const string AsteriskDataDir = "/var/lib/asterisk";

    /// <summary>Extensions of formats a stock Asterisk can play from a MOH directory.</summary>
    private static readonly HashSet<string> PlayableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".wav", ".wav16", ".gsm", ".ulaw", ".alaw", ".sln", ".sln16", ".g722", ".g729", ".ogg",
    };

    public static void Run(string dialplansDir, string promptsDir, Findings findings)
    {
        var path = ConfigFiles.Locate(dialplansDir, "musiconhold.conf");
        if (path is null)
        {
            findings.Error(Path.Combine(dialplansDir, "musiconhold.conf"), 0,
                $"no musiconhold.conf: the engine's music on hold (class {EngineClass}) plays nothing, yet ARI answers 204, so callers on hold hear silence");
            return;
        }
        var file = ConfFile.Load(path, findings);
        var section = file.Named(EngineClass).LastOrDefault();
        if (section is null)
        {
            findings.Error(path, 0,
                $"no [{EngineClass}] class: the engine starts music on hold without a class, so Asterisk plays '{EngineClass}'; callers on hold would hear silence");
            return;
        }
        var mode = section.Last("mode");
        if (mode is null || !(mode.Value.Equals("files", StringComparison.OrdinalIgnoreCase) || mode.Value.Equals("quietfile", StringComparison.OrdinalIgnoreCase)))
        {
            findings.Error(mode?.File ?? section.File, mode?.Line ?? section.Line,
                $"[{EngineClass}] mode is '{mode?.Value ?? "(not set)"}': set mode = files with a directory of hold audio");
            return;
        }
        var directory = section.Last("directory");
        if (directory is null || string.IsNullOrWhiteSpace(directory.Value))
        {
            findings.Error(section.File, section.Line, $"[{EngineClass}] has no directory: there is nothing to play");
            return;
        }

        if (directory.Value.Contains("${", StringComparison.Ordinal))
        {
            // The repository's template: install.sh fills the directory with the repository's hold audio.
            var source = Path.Combine(promptsDir, RepositoryAudioDir);
            CheckAudio(source, $"[{EngineClass}]'s audio is installed from {source}, which", directory.File, directory.Line, findings);
            return;
        }
        var full = Path.IsPathRooted(directory.Value) ? directory.Value : Path.Combine(AsteriskDataDir, directory.Value);
        CheckAudio(full, $"[{EngineClass}] directory {full}", directory.File, directory.Line, findings);
    }

    private static void CheckAudio(string directory, string what, string file, int line, Findings findings)
    {
        if (!Directory.Exists(directory))
        {
            findings.Error(file, line, $"{what} does not exist: callers on hold would hear silence (run dialplans/install.sh)");
            return;
        }
        var playable = Directory.EnumerateFiles(directory)
            .Where(f => PlayableExtensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (playable.Count == 0)
        {
            findings.Error(file, line, $"{what} holds no playable audio file: callers on hold would hear silence");
            return;
        }
        foreach (var wav in playable.Where(f => Path.GetExtension(f).Equals(".wav", StringComparison.OrdinalIgnoreCase)))
        {
            var format = WavFormat.Read(wav, out var problem);
            if (format is null)
                findings.Error(wav, 0, $"hold audio: {problem}");
            else if (!format.IsAsteriskPlayable)
                findings.Error(wav, 0, $"hold audio is {format}{(format.DataBytes == 0 ? " with no audio" : "")}; Asterisk plays .wav only as 8000 Hz mono 16-bit PCM");
        }
    }
}
