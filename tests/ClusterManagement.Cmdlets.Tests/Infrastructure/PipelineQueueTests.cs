using ClusterManagement.Commands.Infrastructure;

namespace ClusterManagement.Tests.Infrastructure;

/// <summary>
/// The pump between a cmdlet's work and its pipeline thread, with a list standing in for the cmdlet.
/// Every wait here is bounded, so a question left unanswered fails the test instead of hanging the run.
/// </summary>
public sealed class PipelineQueueTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource work;
    private readonly PipelineQueue<List<string>> queue;
    private readonly List<string> pipeline = [];

    public PipelineQueueTests()
    {
        work = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        queue = new(work.Token);
    }

    public void Dispose()
    {
        work.Dispose();
        stopping.Dispose();
    }

    private Task<Exception?> PumpOnItsOwnThread() =>
        Task.Factory.StartNew(() => queue.Pump(pipeline, work, stopping.Token), TaskCreationOptions.LongRunning);

    [Fact]
    public async Task QuestionIsAnsweredOnThePumpInOrder()
    {
        var pump = PumpOnItsOwnThread();
        queue.Post(p => p.Add("first"));
        var answer = queue.Ask(p => p.Count);
        Assert.Equal(1, await answer.WaitAsync(Bound));
        queue.Complete();

        Assert.Null(await pump.WaitAsync(Bound));
        Assert.Equal(["first"], pipeline);
    }

    [Fact]
    public async Task QuestionQueuedBehindAFailedWriteIsCancelledAndNeverAsked()
    {
        // -ErrorAction Stop: the error record's write throws while the next node's confirmation waits behind it.
        var stop = new InvalidOperationException("The running command stopped because the preference variable is set to Stop.");
        var asked = false;
        queue.Post(_ => throw stop);
        var answer = queue.Ask(_ => asked = true);
        var pump = PumpOnItsOwnThread();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer.WaitAsync(Bound));
        queue.Complete();
        Assert.Same(stop, await pump.WaitAsync(Bound));
        Assert.False(asked);
        Assert.True(work.IsCancellationRequested);
    }

    [Fact]
    public async Task QuestionAskedAfterTheFailureIsCancelledAndTheWorkCanEnd()
    {
        var pump = PumpOnItsOwnThread();
        queue.Post(_ => throw new InvalidOperationException("downstream failed"));
        await Task.Delay(Timeout.Infinite, work.Token).ContinueWith(_ => { }).WaitAsync(Bound);

        var answer = queue.Ask(_ => true);

        Assert.True(answer.IsCanceled);
        queue.Post(p => p.Add("late write"));
        queue.Complete();
        Assert.IsType<InvalidOperationException>(await pump.WaitAsync(Bound));
        Assert.Empty(pipeline);
    }

    [Fact]
    public async Task QuestionThatThrowsFailsWithItsExceptionAndStopsThePump()
    {
        var pump = PumpOnItsOwnThread();
        var prompt = new InvalidOperationException("PowerShell is in NonInteractive mode.");

        var answer = queue.Ask<bool>(_ => throw prompt);

        Assert.Same(prompt, await Assert.ThrowsAsync<InvalidOperationException>(() => answer.WaitAsync(Bound)));
        queue.Complete();
        Assert.Same(prompt, await pump.WaitAsync(Bound));
    }

    [Fact]
    public async Task StopEndsThePumpAndThePendingQuestionThoughTheWorkNeverEnds()
    {
        // The pipeline thread is busy with a slow downstream command when Ctrl+C comes; the work never calls Complete.
        using var downstream = new ManualResetEventSlim();
        queue.Post(_ => downstream.Wait(Bound));
        var answer = queue.Ask(_ => true);
        var pump = PumpOnItsOwnThread();

        stopping.Cancel();
        downstream.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer.WaitAsync(Bound));
        Assert.Null(await pump.WaitAsync(Bound));
    }

    [Fact]
    public async Task QuestionAfterTheWorkEndedIsCancelledNotLost()
    {
        queue.Complete();

        var answer = queue.Ask(_ => true);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer.WaitAsync(Bound));
    }
}
