using System.Globalization;
using System.Management.Automation;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Lets -Timeout take a plain number of seconds as well as a TimeSpan: PowerShell on its own would
/// turn <c>-Timeout 90</c> into 90 ticks.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeoutTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            TimeSpan span => span,
            int or long or short or byte or double or float or decimal =>
                TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when TryParse(text, out var parsed) => parsed,
            _ => throw new ArgumentTransformationMetadataException(
                $"'{inputData}' is not a timeout: give seconds (90) or a TimeSpan (00:01:30)."),
        };
    }

    /// <summary>Seconds (90) or a TimeSpan (00:01:30), as the parameters read them; also for timeouts from environment variables.</summary>
    internal static bool TryParse(string text, out TimeSpan timeout)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            timeout = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out timeout);
    }
}
