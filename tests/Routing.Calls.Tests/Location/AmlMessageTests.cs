using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

public sealed class AmlMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 30, TimeSpan.Zero);

    [Fact]
    public void The_SMS_form_gives_the_fix_its_radius_time_and_method()
    {
        var reading = AmlMessage.ParseSms(
            "A\"ML=1;lt=+51.16940;lg=+071.44910;rd=12;top=20261206100010;lc=68;pm=G;si=401011234567890;ei=356938035643809;mcc=401;mnc=01;ml=128",
            "+77011234567", Now);

        Assert.True(reading.Ok, reading.Error);
        var message = reading.Message!;
        Assert.Equal("+77011234567", message.CallerNumber);
        Assert.Equal("356938035643809", message.Imei);
        Assert.Equal(51.1694, message.Location!.Point!.Value.Latitude, 6);
        Assert.Equal(71.4491, message.Location.Point!.Value.Longitude, 6);
        Assert.Equal(12, message.Location.UncertaintyMeters);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 10, 0, 10, TimeSpan.Zero), message.Location.MeasuredAt);
        Assert.Equal("GNSS", message.Location.Method);
        Assert.Equal(LocationSource.Aml, message.Location.Source);
    }

    [Fact]
    public void A_handset_without_a_fix_is_on_record_with_no_location()
    {
        var reading = AmlMessage.ParseSms("A\"ML=1;lt=;lg=;rd=;top=20261206100010;lc=;pm=N;si=1;ei=2;mcc=401;mnc=01;ml=90", "87011234567", Now);

        Assert.True(reading.Ok, reading.Error);
        Assert.Null(reading.Message!.Location);
        Assert.Equal("87011234567", reading.Message.CallerNumber);
    }

    [Fact]
    public void The_HTTPS_form_gives_the_fix_with_its_accuracy_and_source()
    {
        var reading = AmlMessage.ParseHttpsForm(
            "v=3&emergency_number=112&device_number=%2B77011234567&location_latitude=43.2389&location_longitude=76.8897&location_time=1796551210000&location_accuracy=25.5&location_source=gps&device_imei=356938035643809",
            Now);

        Assert.True(reading.Ok, reading.Error);
        var location = reading.Message!.Location!;
        Assert.Equal("+77011234567", reading.Message.CallerNumber);
        Assert.Equal(43.2389, location.Point!.Value.Latitude, 6);
        Assert.Equal(25.5, location.UncertaintyMeters);
        Assert.Equal("gps", location.Method);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796551210000), location.MeasuredAt);
    }

    [Theory]
    [InlineData("", "+77011234567", "the text is empty")]
    [InlineData("hello there", "+77011234567", "is not key=value")]
    [InlineData("X=1;lt=1;lg=2", "+77011234567", "does not start with A\"ML")]
    [InlineData("A\"ML=9;lt=1;lg=2", "+77011234567", "version '9'")]
    [InlineData("A\"ML=1;lt=abc;lg=2;pm=G", "+77011234567", "lt 'abc' is not a number")]
    [InlineData("A\"ML=1;lg=2;pm=G", "+77011234567", "lt is missing")]
    [InlineData("A\"ML=1;lt=91;lg=2;pm=G", "+77011234567", "latitude 91 is outside")]
    [InlineData("A\"ML=1;lt=51;lg=71;top=yesterday;pm=G", "+77011234567", "top 'yesterday' is not yyyyMMddHHmmss")]
    [InlineData("A\"ML=1;lt=51;lg=71;rd=-5;pm=G", "+77011234567", "rd is negative")]
    [InlineData("A\"ML=1;lt=51;lg=71;pm=G", "anonymous", "sender's number is missing")]
    public void A_malformed_AML_SMS_is_rejected_with_what_is_wrong(string text, string sender, string expected)
    {
        var reading = AmlMessage.ParseSms(text, sender, Now);

        Assert.False(reading.Ok);
        Assert.Contains(expected, reading.Error);
    }

    [Theory]
    [InlineData("location_latitude=1&location_longitude=2", "device_number is missing")]
    [InlineData("device_number=%2B7701&location_latitude=x&location_longitude=2", "location_latitude 'x' is not a number")]
    [InlineData("device_number=%2B7701&location_latitude=1&location_longitude=2&location_time=-4", "location_time '-4'")]
    [InlineData("device_number=%2B7701&location_latitude=1&location_longitude=2&location_accuracy=-1", "location_accuracy is negative")]
    [InlineData("device_number=%ZZ", "is not URL-encoded")]
    public void A_malformed_AML_HTTPS_body_is_rejected_with_what_is_wrong(string body, string expected)
    {
        var reading = AmlMessage.ParseHttpsForm(body, Now);

        Assert.False(reading.Ok);
        Assert.Contains(expected, reading.Error);
    }

    [Fact]
    public void A_hostile_oversized_message_is_refused_without_parsing()
    {
        Assert.Contains("more than an AML message", AmlMessage.ParseSms(new string('A', 5000), "+7701", Now).Error);
    }
}
