using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;

/// <summary>
/// The moment the first answer to a request for <c>path</c> came in (its response headers), taken by .NET's
/// HTTP handler on the thread that read them: a log line or an object reaches the pipeline thread through the
/// module's queue later, so neither can time the answer.
/// </summary>
public sealed class FirstAnswerClock : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object>>, IDisposable
{
    private const string ResponseEvent = "System.Net.Http.Response";
    private readonly string path;
    private readonly IDisposable allListeners;
    private readonly List<IDisposable> subscriptions = new List<IDisposable>();
    private long first;

    public FirstAnswerClock(string path)
    {
        this.path = path;
        allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>The Stopwatch timestamp of the first successful answer since <see cref="Reset"/>; 0 when none came.</summary>
    public long FirstAnswer => Interlocked.Read(ref first);

    public void Reset() => Interlocked.Exchange(ref first, 0);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "HttpHandlerDiagnosticListener")
        {
            lock (subscriptions)
            {
                subscriptions.Add(listener.Subscribe(this, name => name == ResponseEvent));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object> e)
    {
        if (e.Key != ResponseEvent || e.Value is null)
        {
            return;
        }

        var type = e.Value.GetType();
        if (type.GetProperty("Response")?.GetValue(e.Value) is HttpResponseMessage response && response.IsSuccessStatusCode
            && response.RequestMessage?.RequestUri?.AbsolutePath == path
            && type.GetProperty("Timestamp")?.GetValue(e.Value) is long timestamp)
        {
            Interlocked.CompareExchange(ref first, timestamp, 0);
        }
    }

    public void OnError(Exception error) { }

    public void OnCompleted() { }

    public void Dispose()
    {
        allListeners.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
