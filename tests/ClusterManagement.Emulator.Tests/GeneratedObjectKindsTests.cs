using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>Jobs and CronJobs are refused as the real server refuses them when their pods would restart in place.</summary>
public sealed class GeneratedObjectKindsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static JsonObject PodTemplate(string? restartPolicy)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) };
        if (restartPolicy is not null)
        {
            spec["restartPolicy"] = restartPolicy;
        }
        return new JsonObject { ["spec"] = spec };
    }

    [Fact]
    public async Task AJobWhosePodsWouldRestartInPlaceIsInvalid()
    {
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = "always" },
            ["spec"] = new JsonObject { ["template"] = PodTemplate("Always") },
        };
        var (status, body) = await fixture.Admin.PostAsync("/apis/batch/v1/namespaces/default/jobs", job);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Job.batch \"always\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
            body.StringAt("message"));
        Assert.Null(fixture.Emulator.Store.Get(GeneratedObjectKindsModule.Jobs, "default", "always"));

        job["metadata"]!["name"] = "never";
        job["spec"]!["template"] = PodTemplate("Never");
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync("/apis/batch/v1/namespaces/default/jobs", job)).Status);
    }

    [Fact]
    public async Task ACronJobWithoutARestartPolicyIsDefaultedToAlwaysAndRefused()
    {
        var cronJob = new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "CronJob", ["metadata"] = new JsonObject { ["name"] = "unset" },
            ["spec"] = new JsonObject
            {
                ["schedule"] = "*/5 * * * *",
                ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = PodTemplate(null) } },
            },
        };
        var (status, body) = await fixture.Admin.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", cronJob);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var cause = Assert.Single(body!["details"]!["causes"]!.AsArray());
        Assert.Equal(("spec.jobTemplate.spec.template.spec.restartPolicy", "FieldValueNotSupported"), (cause.StringAt("field"), cause.StringAt("reason")));
        Assert.Null(fixture.Emulator.Store.Get(GeneratedObjectKindsModule.CronJobs, "default", "unset"));
    }
}
