using Routing.Simulator.Ari;
using Routing.Simulator.Media;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// Playbacks, one after another per channel (res_stasis_playback.c): PlaybackStarted "playing", then PlaybackFinished
/// "done" after the media's length, "failed" for a missing file, and nothing at all for an unknown scheme.
/// A stopped playback finishes "done" (Asterisk maps STOPPED and CANCELED to "done").
/// </summary>
internal sealed partial class Pbx
{
    public AriResponse Play(string channelId, string? media, string? language, string? playbackId)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channelId, out var channel)) return AriResponse.ChannelNotFound;
            if (!channel.InStasis) return AriResponse.NotInStasis;
            if (string.IsNullOrEmpty(media)) return AriResponse.Error(500, "Failed to queue media for playback");
            var playback = new SimPlayback
            {
                Id = string.IsNullOrEmpty(playbackId) ? Guid.NewGuid().ToString() : playbackId,
                MediaUri = media,
                Language = string.IsNullOrEmpty(language) ? channel.Language : language,
                Channel = channel,
            };
            _playbacks[playback.Id] = playback;
            channel.PlaybackQueue.Enqueue(playback);
            // The body is the playback as created ("queued"); Asterisk starts it on the channel's thread afterwards.
            string body = AriJson.Write(w => AriJson.Playback(w, playback, "queued"));
            if (channel.CurrentPlayback is null) StartNextPlayback(channel);
            return AriResponse.Created(body, "/playbacks/" + playback.Id);
        }
    }

    public AriResponse GetPlayback(string id)
    {
        lock (_gate)
            return _playbacks.TryGetValue(id, out var p)
                ? AriResponse.Ok(AriJson.Write(w => AriJson.Playback(w, p, p.State)))
                : AriResponse.Error(404, "Playback not found");
    }

    public AriResponse StopPlayback(string id)
    {
        lock (_gate)
        {
            if (!_playbacks.TryGetValue(id, out var p)) return AriResponse.Error(404, "Playback not found");
            if (p.Channel.CurrentPlayback == p) FinishPlayback(p, "done");
            else p.Cancelled = true;
            return AriResponse.NoContent;
        }
    }

    private void StartNextPlayback(SimChannel channel)
    {
        while (channel.CurrentPlayback is null && channel.PlaybackQueue.TryDequeue(out var p))
        {
            if (p.Cancelled)
            {
                _playbacks.Remove(p.Id);
                Ari(AriEvents.PlaybackFinished(Now, p, "done"), channel);
                continue;
            }
            p.State = "playing";
            Ari(AriEvents.PlaybackStarted(Now, p), channel);
            channel.Call?.Played(Now, p.MediaUri);
            var outcome = _media.Resolve(p.MediaUri, p.Language);
            switch (outcome.Kind)
            {
                case MediaOutcomeKind.Plays:
                    channel.CurrentPlayback = p;
                    p.FinishTimer = Schedule(channel, outcome.Duration, _ => FinishPlayback(p, "done"));
                    break;
                case MediaOutcomeKind.Missing:
                    _playbacks.Remove(p.Id);
                    p.State = "failed";
                    Ari(AriEvents.PlaybackFinished(Now, p, "failed"), channel);
                    break;
                case MediaOutcomeKind.UnsupportedScheme:
                    _playbacks.Remove(p.Id); // GET /playbacks/{id} → 404; no PlaybackFinished ever (trace)
                    channel.Call?.Note(Now, $"playback of {p.MediaUri} never finishes: unsupported scheme");
                    break;
            }
        }
    }

    private void FinishPlayback(SimPlayback p, string state)
    {
        var channel = p.Channel;
        if (channel.CurrentPlayback != p) return;
        p.FinishTimer?.Dispose();
        channel.CurrentPlayback = null;
        _playbacks.Remove(p.Id);
        p.State = state;
        Ari(AriEvents.PlaybackFinished(Now, p, state), channel);
        if (!channel.HangupRequested) StartNextPlayback(channel);
    }

    /// <summary>On hang-up or leaving Stasis: the current playback ends "done"; queued ones are dropped without events.</summary>
    private void StopPlaybacks(SimChannel channel)
    {
        if (channel.CurrentPlayback is { } current)
        {
            current.FinishTimer?.Dispose();
            channel.CurrentPlayback = null;
            _playbacks.Remove(current.Id);
            Ari(AriEvents.PlaybackFinished(Now, current, "done"), channel);
        }
        while (channel.PlaybackQueue.TryDequeue(out var queued)) _playbacks.Remove(queued.Id);
    }
}
