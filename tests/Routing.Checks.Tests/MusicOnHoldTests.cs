namespace Routing.Checks.Tests;

/// <summary>The hold audio: ARI answers 204 to music on hold whatever the class holds, so only
/// check-config can tell that a caller on hold would hear silence.</summary>
public sealed class MusicOnHoldTests : IDisposable
{
    private readonly ConfigCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void The_shipped_hold_audio_is_what_asterisk_plays_without_transcoding()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryFiles.Prompts, "moh"), "*.wav");

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var format = Prompts.WavFormat.Read(file, out var problem);
            Assert.True(format is not null, problem);
            Assert.True(format.IsAsteriskPlayable, $"{file}: {format}");
            Assert.InRange(format.Duration, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public void No_musiconhold_conf_is_reported()
    {
        File.Delete(_copy.Dialplan("musiconhold.conf.in"));

        var findings = _copy.Check();

        findings.HasError(_copy.Dialplan("musiconhold.conf"), 0, "no musiconhold.conf: the engine's music on hold (class default) plays nothing");
    }

    [Fact]
    public void A_missing_default_class_is_reported()
    {
        var conf = _copy.Dialplan("musiconhold.conf.in");
        _copy.Replace(conf, "[default]", "[calm]");

        var findings = _copy.Check();

        findings.HasError(conf, 0, "no [default] class");
    }

    [Fact]
    public void A_class_without_files_mode_is_reported_on_its_mode_line()
    {
        var conf = _copy.Dialplan("musiconhold.conf.in");
        _copy.Replace(conf, "mode = files", "mode = custom");

        var findings = _copy.Check();

        findings.HasError(conf, ConfigCopy.LineOf(conf, "mode = custom"), "[default] mode is 'custom'");
    }

    [Fact]
    public void A_repository_without_hold_audio_is_reported_on_the_directory_line()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(_copy.Prompts, "moh"))) File.Delete(file);
        var conf = _copy.Dialplan("musiconhold.conf.in");

        var findings = _copy.Check();

        findings.HasError(conf, ConfigCopy.LineOf(conf, "directory = "), "holds no playable audio file: callers on hold would hear silence");
    }

    [Fact]
    public void An_installed_class_whose_directory_is_empty_is_reported()
    {
        var empty = Path.Combine(_copy.Root, "empty-moh");
        Directory.CreateDirectory(empty);
        var conf = _copy.Dialplan("musiconhold.conf.in");
        _copy.Replace(conf, "directory = ${MOH_DIRECTORY}", "directory = " + empty);

        var findings = _copy.Check();

        findings.HasError(conf, ConfigCopy.LineOf(conf, "directory = "), $"[default] directory {empty} holds no playable audio file");
    }

    [Fact]
    public void Hold_audio_asterisk_would_have_to_transcode_is_reported_by_file()
    {
        var wav = Path.Combine(_copy.Prompts, "moh", "comfort.wav");
        var bytes = File.ReadAllBytes(wav);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), 16000); // sample rate in the fmt chunk
        File.WriteAllBytes(wav, bytes);

        var findings = _copy.Check();

        findings.HasError(wav, 0, "hold audio is PCM 16000 Hz");
    }
}
