using System.Globalization;
using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;

namespace ClusterManagement.Commands.Events;

/// <summary>
/// Lets -Since take how long ago (a TimeSpan, or seconds as -Timeout reads them) as well as a point in
/// time; either way the cmdlet gets the UTC time from which on events count.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is DateTime time)
        {
            return time.ToUniversalTime();
        }

        if (value is string written && !TimeoutTransformationAttribute.TryParse(written, out _)
            && DateTime.TryParse(written, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeLocal, out var point))
        {
            return point;
        }

        var ago = value switch
        {
            TimeSpan span => span,
            int or long or short or byte or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when TimeoutTransformationAttribute.TryParse(text, out var parsed) => parsed,
            _ => throw new ArgumentTransformationMetadataException(
                $"'{inputData}' is not a time: give how long ago (00:10:00 or 600 seconds) or a DateTime."),
        };
        if (ago < TimeSpan.Zero)
        {
            throw new ArgumentTransformationMetadataException($"-Since {inputData} lies in the future: give how long ago as a positive TimeSpan.");
        }

        return DateTime.UtcNow - ago;
    }
}
