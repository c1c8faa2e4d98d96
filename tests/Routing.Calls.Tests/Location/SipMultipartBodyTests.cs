using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

public sealed class SipMultipartBodyTests
{
    [Fact]
    public void The_recorded_INVITE_points_at_its_PIDF_part_by_content_id()
    {
        var (headers, body) = RecordedInvites.Read("geolocation-pidf-lo.geocaller-valid.sipp-msg.txt");

        var uris = SipMultipartBody.GeolocationUris(headers["Geolocation"]);
        Assert.Equal(["cid:geocaller-loc-1@127.0.0.1"], uris);
        Assert.True(SipMultipartBody.TryFindPidf(headers["Content-Type"], body, uris[0], out var pidf, out var error), error);
        Assert.StartsWith("<?xml", pidf);
        Assert.EndsWith("</presence>", pidf);
    }

    [Fact]
    public void A_content_id_with_no_matching_part_is_named()
    {
        var (headers, body) = RecordedInvites.Read("geolocation-pidf-lo.geocaller-valid.sipp-msg.txt");

        Assert.False(SipMultipartBody.TryFindPidf(headers["Content-Type"], body, "cid:other@x", out _, out var error));
        Assert.Equal("no body part has Content-ID other@x", error);
    }

    [Fact]
    public void A_content_id_pointing_at_the_SDP_is_not_taken_for_a_location()
    {
        const string body = "--b\nContent-Type: application/sdp\nContent-ID: <x@y>\n\nv=0\n--b--\n";

        Assert.False(SipMultipartBody.TryFindPidf("multipart/mixed;boundary=b", body, "cid:x@y", out _, out var error));
        Assert.Contains("not application/pidf+xml", error);
    }

    [Fact]
    public void Several_locations_and_a_reference_by_https_are_all_listed_in_order()
    {
        var uris = SipMultipartBody.GeolocationUris("<cid:a@b>, <https://lis.example.org/loc/1>");

        Assert.Equal(["cid:a@b", "https://lis.example.org/loc/1"], uris);
    }

    [Theory]
    [InlineData("text/plain", "neither multipart/mixed")]
    [InlineData(null, "neither multipart/mixed")]
    public void A_body_of_another_kind_is_refused(string? contentType, string expected)
    {
        Assert.False(SipMultipartBody.TryFindPidf(contentType, "hello", null, out _, out var error));
        Assert.Contains(expected, error);
    }
}
