# Runs the step scripts of docs/azure-pipelines.md the way the PowerShell@2 task runs them, against
# the sandbox: what the guide promises is what this file checks.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
    $guide = Join-Path (Get-RepoRoot) 'docs/azure-pipelines.md'

    function Get-WebApp {
        $env:KUBECONFIG = $cluster.KubeConfig
        try { & (Get-PwshPath) -NoProfile -NonInteractive -Command "Import-Module '$(Get-ModuleUnderTest)'; Get-ClusterApp web | ConvertTo-Json -Depth 4" | ConvertFrom-Json }
        finally { Remove-Item Env:KUBECONFIG }
    }

    $release = Get-PipelineStep -DisplayName 'Release, rolling back if the rollout fails'
    $releaseVariables = @{ APP_NAME = 'web'; APP_NAMESPACE = 'default'; ROLLOUT_TIMEOUT = '90'; RESULT_DIRECTORY = $TestDrive }
}

AfterAll {
    Stop-TestCluster $cluster
}

Describe 'docs/azure-pipelines.md' {
    It 'is linked from the README' {
        Get-Content (Join-Path (Get-RepoRoot) 'README.md') -Raw | Should -Match '\]\(docs/azure-pipelines\.md\)'
    }

    It 'logs in with Kubernetes@1 and passes the SSH key from a secure file through env:' {
        $text = Get-Content $guide -Raw
        $text | Should -Match '(?m)^\s+command: login$'
        $text | Should -Match '(?m)^\s+- task: DownloadSecureFile@1$'
        $text | Should -Match '(?m)^\s+CLUSTERMANAGEMENT_SSH_KEY_PATH: \$\(nodeKey\.secureFilePath\)$'
        @([regex]::Matches($text, '(?m)^\s+pwsh: true$')).Count | Should -Be @([regex]::Matches($text, '(?m)^\s+- task: PowerShell@2$')).Count
    }

    It 'has the rolling engine upgrade, which runs against node hosts in the node hosts tests' {
        # Update-NodeDocker needs SSH to real node hosts: the fleet, not this sandbox, runs that step.
        $upgrade = Get-PipelineStep -DisplayName 'Rolling Docker Engine upgrade'
        $upgrade.Script | Should -Match 'Get-ClusterNode \|\s+Update-NodeDocker -Version \$env:DOCKER_VERSION -MaxUnavailable 1 .*-Force'
    }
}

Describe 'The release step, run as PowerShell@2 runs it' {
    It 'releases a good image: exit code 0, the result for the next step, logging commands, no prompt' {
        $run = Invoke-PowerShellTask $release ($releaseVariables + @{ APP_IMAGE = 'nginx:1.28' }) -KubeConfig $cluster.KubeConfig -WorkDir $TestDrive

        $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $run.Error | Should -Not -Match 'NonInteractive'
        $lines = $run.Output -split '\r?\n'
        $lines | Should -Contain '##[group]Roll out app default/web'
        $lines | Should -Contain '##[endgroup]'
        $lines | Where-Object { $_ -match '^##vso\[task\.setprogress value=\d+;\]Rolling out app default/web$' } | Should -Not -BeNullOrEmpty
        $result = Get-Content (Join-Path $TestDrive 'release.json') -Raw | ConvertFrom-Json
        $result.Status | Should -Be 'Complete'
        $result.Images | Should -Be @('nginx:1.28')
        $lines | Should -Contain "##vso[task.setvariable variable=revision;isOutput=true]$($result.ToRevision)"
        (Get-WebApp).Images | Should -Be @('nginx:1.28')
    }

    It 'rolls back by itself when the rollout fails, and fails the step' {
        $before = Get-WebApp
        $patched = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir (Join-Path $TestDrive kubectl) patch deploy web -p '{"spec":{"progressDeadlineSeconds":2}}' 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$patched"

        $run = Invoke-PowerShellTask $release ($releaseVariables + @{ APP_IMAGE = 'nginx:broken' }) -KubeConfig $cluster.KubeConfig -WorkDir $TestDrive

        $run.ExitCode | Should -Not -Be 0
        $run.Error | Should -Not -Match 'NonInteractive'
        $run.Error | Should -Match 'exceeded its progress deadline'
        $lines = $run.Output -split '\r?\n'
        # One logging command carries the failure and, after an escaped line break, the diagnosis: the log says why.
        $issue = @($lines | Where-Object { $_ -like '##vso`[task.logissue type=error;code=AppProgressDeadlineExceeded`]*' })
        $issue.Count | Should -Be 1
        $issue[0] | Should -Match '^##vso\[task\.logissue type=error;code=AppProgressDeadlineExceeded\]deployment "web" exceeded its progress deadline(%0D)?%0ACause: image "nginx:broken" cannot be pulled \((ErrImagePull|ImagePullBackOff)[^)]* on \d+ of \d+ new pods\): Failed to pull image "nginx:broken": '
        $lines | Should -Contain "Rolling back to revision $($before.Revision) (nginx:1.28)."
        @($lines | Where-Object { $_ -eq '##[group]Roll out app default/web' }).Count | Should -Be 2 -Because 'the release and the rollback are each a group'
        $after = Get-WebApp
        $after.Images | Should -Be $before.Images
        $after.Ready | Should -Be '2/2'
        $after.Revision | Should -BeGreaterThan $before.Revision
        $null = & kubectl --kubeconfig $cluster.KubeConfig --cache-dir (Join-Path $TestDrive kubectl) patch deploy web -p '{"spec":{"progressDeadlineSeconds":600}}'
    }

    It 'writes no logging commands outside Azure Pipelines' {
        $file = Join-Path $TestDrive 'plain.ps1'
        Set-Content $file -Value ("`$ErrorActionPreference = 'Stop'`n" + $release.Script)
        $environment = @{ TF_BUILD = ''; KUBECONFIG = $cluster.KubeConfig; PSModulePath = (Split-Path (Get-ModuleUnderTest)) + [IO.Path]::PathSeparator + $env:PSModulePath } +
            $releaseVariables + @{ APP_IMAGE = 'nginx:1.29' }
        $run = Invoke-FreshPwsh -Script ". '$file'" -Environment $environment -TimeoutSeconds 180

        $run.ExitCode | Should -Be 0 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        # The script's own setvariable line is the only one: the module adds none.
        @($run.Output -split '\r?\n' | Where-Object { $_ -match '^##' }) | Should -Be @("##vso[task.setvariable variable=revision;isOutput=true]$((Get-WebApp).Revision)")
    }
}

Describe 'A drain in a pipeline job' {
    BeforeAll {
        $drain = "Import-Module '$(Get-ModuleUnderTest)'; `$ErrorActionPreference = 'Stop'; " +
            '$null = Suspend-ClusterNode -Name worker-2 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -Force -Timeout 60; Resume-ClusterNode -Name worker-2 -Force'
    }

    It 'is a log group, with its warnings as issues and its progress as the task''s' {
        $run = Invoke-FreshPwsh -Script $drain -Environment @{ TF_BUILD = 'True'; KUBECONFIG = $cluster.KubeConfig }

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $lines = @($run.Output -split '\r?\n')
        $open = [array]::IndexOf($lines, '##[group]Drain node worker-2')
        $open | Should -BeGreaterOrEqual 0
        $close = [array]::IndexOf($lines, '##[endgroup]')
        $close | Should -BeGreaterThan $open
        $inside = $lines[$open..$close]
        $inside | Where-Object { $_ -match '^##vso\[task\.logissue type=warning\]ignoring DaemonSet-managed Pods: kube-system/kube-proxy-' } | Should -Not -BeNullOrEmpty
        $inside | Should -Contain '##vso[task.setprogress value=100;]Draining node worker-2'
    }

    It 'writes no logging commands outside a pipeline job' {
        $run = Invoke-FreshPwsh -Script $drain -Environment @{ TF_BUILD = ''; KUBECONFIG = $cluster.KubeConfig }

        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output -split '\r?\n' | Where-Object { $_ -like '##*' } | Should -BeNullOrEmpty
        $run.Output | Should -Match 'WARNING: ignoring DaemonSet-managed Pods'
    }
}

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    # Node-host cmdlets that read the host before they ask (their plan shows what is there): the sandbox has no
    # SSH hosts, so they stop at the missing host access; their confirmation runs on the fleet.
    $hostFirst = 'Add-NodeRoute', 'Remove-NodeRoute', 'New-NodeNetwork', 'Remove-NodeNetwork', 'Update-NodeDocker', 'Update-ClusterNode'
    $longCmdlets = @(Get-LongCmdletName | ForEach-Object { @{ Cmdlet = $_; Confirms = (Get-Command $_).Parameters.ContainsKey('Confirm'); HostFirst = $_ -in $hostFirst } })
    # One successful long cmdlet per output type the sandbox can produce, each checked on its JSON.
    $outputTypes = @(
        @{ Type = 'AppRollout'; Check = { param($o) $o.App | Should -Be 'pipeline-app'; $o.Status | Should -Be 'Complete'; $o.Images | Should -Be @('nginx:1.29'); $o.Duration | Should -Match '^P' } }
        @{ Type = 'ClusterApp'; Check = { param($o) $o.Name | Should -Be 'pipeline-app'; $o.Replicas | Should -Be 2; $o.Created.Kind | Should -Be 'Utc' -Because 'times are UTC in the JSON' } }
        @{ Type = 'CsiVolumeClaim'; Check = { param($o) $o.Name | Should -Be 'pipeline-new'; $o.Status | Should -Be 'Bound'; $o.RequestedSize | Should -Be '1Gi' } }
        @{ Type = 'CsiDriver'; Check = { param($o) $o.Name | Should -Be 'dsp.csi.daterainc.io'; $o.StorageClasses.Count | Should -BeGreaterThan 0 } }
        @{ Type = 'AppliedObject'; Check = { param($o) $o.Kind | Should -Be 'ConfigMap'; $o.Name | Should -Be 'pipeline-config'; $o.Action | Should -Be 'Created' } }
        @{ Type = 'NodeDrainResult'; Check = { param($o) $o.Node | Should -Be 'worker-1'; $o.Failed.Count | Should -Be 0; $o.Duration | Should -Match '^P' } }
        @{ Type = 'ClusterNode'; Check = { param($o) $o.Name | Should -Be 'worker-2'; $o.Unschedulable | Should -BeTrue } }
    )
}

Describe 'Every long cmdlet as PowerShell@2 runs it' {
    BeforeAll {
        Import-Module (Get-ModuleUnderTest) -Force
        Import-Module (Join-Path (Get-RepoRoot) 'tests/DateraManifests.psm1') -Force
        # Real targets, so that each cmdlet gets as far as its prompt: an app with a revision to roll back to,
        # a bound claim, a manifest, a CSI driver's manifests, the sandbox's nodes.
        $work = Join-Path $TestDrive 'targets'
        $datera = New-DateraManifestSet -Path (Join-Path $work 'datera')
        $appManifest = Join-Path $work 'pipeline-app.yaml'
        Set-Content $appManifest "apiVersion: apps/v1`nkind: Deployment`nmetadata: { name: pipeline-app, namespace: default }`nspec:`n  replicas: 1`n  selector: { matchLabels: { app: pipeline-app } }`n  template:`n    metadata: { labels: { app: pipeline-app } }`n    spec: { containers: [ { name: main, image: nginx:1.27 } ] }`n"
        $configManifest = Join-Path $work 'pipeline-config.yaml'
        Set-Content $configManifest "apiVersion: v1`nkind: ConfigMap`nmetadata: { name: pipeline-config, namespace: default }`ndata: { a: b }`n"
        $env:KUBECONFIG = $cluster.KubeConfig
        try {
            Publish-ClusterManifest -Path $appManifest -Wait -Timeout 60 -Force | Out-Null
            Publish-AppVersion pipeline-app -Image nginx:1.28 -Wait -Timeout 60 -Force | Out-Null
            New-CsiVolumeClaim -Name pipeline-claim -Size 1Gi -Wait -Timeout 60 -Force | Out-Null
        }
        finally { Remove-Item Env:KUBECONFIG }

        $targets = @{
            'Add-NodeRoute'           = '-Node worker-1 -Destination 10.250.0.0/24 -Gateway 10.0.0.5'
            'Backup-ClusterNode'      = "-Node worker-1 -Destination '$work/backup'"
            'Get-ClusterEvent'        = '-Namespace default'
            'Get-NodeDocker'          = '-Node worker-1'
            'Get-NodeNetwork'         = '-Node worker-1'
            'Get-NodeRoute'           = '-Node worker-1'
            'Get-NodeService'         = '-Node worker-1'
            'Install-CsiDriver'       = "-Path '$datera'"
            'Invoke-AppRollback'      = '-Name pipeline-app'
            'New-ClusterNode'         = '-Name pipeline-node -Address 127.0.0.1'
            'New-CsiVolumeClaim'      = '-Name pipeline-new -Size 1Gi'
            'New-NodeNetwork'         = '-Node worker-1 -Name pipeline-net -Subnet 10.250.0.0/24'
            'Publish-AppVersion'      = '-Name pipeline-app -Image nginx:1.29'
            'Publish-ClusterManifest' = "-Path '$configManifest'"
            'Remove-ClusterNode'      = '-Name worker-3'
            'Remove-NodeNetwork'      = '-Node worker-1 -Name pipeline-net'
            'Remove-NodeRoute'        = '-Node worker-1 -Destination 10.250.0.0/24'
            'Resize-CsiVolumeClaim'   = '-Name pipeline-claim -Size 2Gi'
            'Restart-App'             = '-Name pipeline-app'
            'Restart-NodeService'     = '-Node worker-1 -Name kubelet'
            'Set-AppReplicaCount'     = '-Name pipeline-app -Replicas 2'
            'Start-NodeService'       = '-Node worker-1 -Name kubelet'
            'Stop-NodeService'        = '-Node worker-1 -Name kubelet'
            'Suspend-ClusterNode'     = '-Name worker-1 -Drain -IgnoreDaemonSets -DeleteEmptyDirData'
            'Update-NodeDocker'       = '-Node worker-1 -Version latest'
            'Update-ClusterNode'      = '-Node worker-1 -KubernetesVersion 1.32'
            'Wait-AppRollout'         = '-Name pipeline-app'
        }
        # Run after the rows above, which change nothing: each one's output goes through ConvertTo-Json as a step would hand it on.
        $successes = [ordered]@{
            'AppRollout'      = 'Publish-AppVersion pipeline-app -Image nginx:1.29 -Wait -Timeout 60 -Force'
            'ClusterApp'      = 'Set-AppReplicaCount pipeline-app -Replicas 2 -Timeout 60 -PassThru -Force'
            'CsiVolumeClaim'  = 'New-CsiVolumeClaim -Name pipeline-new -Size 1Gi -Wait -Timeout 60 -Force'
            'CsiDriver'       = "Install-CsiDriver -Path '$datera' -Timeout 60 -Force"
            'AppliedObject'   = "Publish-ClusterManifest -Path '$configManifest' -Timeout 60 -Force"
            'NodeDrainResult' = 'Suspend-ClusterNode -Name worker-1 -Drain -IgnoreDaemonSets -DeleteEmptyDirData -GracePeriod 1 -Timeout 60 -Force'
            'ClusterNode'     = 'Suspend-ClusterNode -Name worker-2 -Timeout 60 -PassThru -Force'
        }
        $calls = foreach ($name in Get-LongCmdletName | Where-Object { $targets.ContainsKey($_) }) {
            [pscustomobject]@{ Cmdlet = $name; Line = "$name $($targets[$name]) -Timeout 20$(if ((Get-Command $name).Parameters.ContainsKey('Confirm')) { ' -Confirm' })" }
        }
        # One job step for all of them (a fresh pwsh each would cost seconds apiece): each call's outcome is
        # marked; the last one is left uncaught, as a step's failing command is.
        $lines = foreach ($call in $calls) {
            "Write-Host '=== $($call.Cmdlet)'"
            "try { `$out = $($call.Line); Write-Host ('RESULT ok ' + (`$out | ConvertTo-Json -Depth 4 -Compress)) } catch { Write-Host ('RESULT error ' + `$_.FullyQualifiedErrorId) }"
        }
        $lines += foreach ($type in $successes.Keys) {
            "Write-Host '=== output $type'"
            "`$out = $($successes[$type]); Write-Host ('JSON ' + (`$out | ConvertTo-Json -Depth 4 -Compress -EnumsAsStrings))"
        }
        $lines += 'Resume-ClusterNode -Name worker-1, worker-2 -Force | Out-Null'
        $lines += "Write-Host '=== uncaught'", ($calls | Where-Object Cmdlet -eq 'Restart-App').Line
        $step = [pscustomobject]@{ Script = ($lines -join "`n"); Environment = @{} }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-PowerShellTask $step @{} -KubeConfig $cluster.KubeConfig -WorkDir $TestDrive -TimeoutSeconds 120
        $seconds = $watch.Elapsed.TotalSeconds
        $sections = @{}
        foreach ($part in ($run.Output -split '(?m)^=== ') | Where-Object { $_ }) {
            $title, $body = $part -split '\r?\n', 2
            $sections[$title.Trim()] = "$body"
        }
    }

    It 'never waits for input: all of them end well within the time limit' {
        $seconds | Should -BeLessThan 100 -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $run.Error | Should -Not -Match 'NonInteractive mode|Read and Prompt functionality is not available'
    }

    It 'names a target for every long cmdlet' {
        Get-LongCmdletName | Where-Object { -not $targets.ContainsKey($_) } | Should -BeNullOrEmpty -Because 'each row needs real objects to get as far as its prompt'
    }

    It '<Cmdlet>: a prompt it would show fails at once with ConfirmationNotPossible, else its failure is the module''s, as a logissue error' -ForEach $longCmdlets {
        $section = $sections[$Cmdlet]
        $section | Should -Not -BeNullOrEmpty -Because "stdout: $($run.Output)"
        $section | Should -Match 'RESULT (ok|error)'
        if ($Confirms -and -not $HostFirst) {
            $section | Should -Match 'RESULT error ConfirmationNotPossible,ClusterManagement\.' -Because 'its target exists, so it reaches its prompt'
            $section | Should -Match '##vso\[task\.logissue type=error;code=ConfirmationNotPossible\].*-Force or -Confirm:\$false'
        }
        elseif ($HostFirst) {
            $section | Should -Match 'RESULT error NodeHostAccessMissing,ClusterManagement\.'
            $section | Should -Match '##vso\[task\.logissue type=error;code=NodeHostAccessMissing\]'
        }
        elseif ($section -match 'RESULT error (\S+)') {
            $Matches[1] | Should -Match ',ClusterManagement\.' -Because 'the error is the module''s own record, with its id'
            $section | Should -Match '##vso\[task\.logissue type=error'
        }
        else {
            $section | Should -Match 'RESULT ok [\[{]' -Because 'a cmdlet that succeeds serializes with ConvertTo-Json'
        }
    }

    It 'a successful <Type> serializes with ConvertTo-Json and reads back' -ForEach $outputTypes {
        $section = $sections["output $Type"]
        $section | Should -Match '(?m)^JSON [\[{]' -Because "stdout: $($run.Output) stderr: $($run.Error)"
        $object = @($section -split '\r?\n' | Where-Object { $_ -like 'JSON *' })[0].Substring(5) | ConvertFrom-Json
        & $Check $object
    }

    It 'a failure the script does not catch fails the step: non-zero exit code and a logissue error line' {
        $run.ExitCode | Should -Not -Be 0
        $sections['uncaught'] | Should -Match '##vso\[task\.logissue type=error;code=ConfirmationNotPossible\]'
    }
}

Describe 'A refusal before any work, in a pipeline job' {
    # Both are refused while the parameters are checked, before a node is contacted: the refusal
    # still goes through the shared write path, so the agent hears of it with its error id.
    It 'reports <Command> as an error logging command' -ForEach @(
        @{ Command = 'New-ClusterNode'; Script = "New-ClusterNode -Name n9 -Address 127.0.0.1 -KubernetesVersion '1.31;reboot' -Force"; Id = 'PackageVersionInvalid' }
        @{ Command = 'Remove-NodeRoute'; Script = "Remove-NodeRoute -Node worker-1 -Destination 'not-a-cidr' -Force"; Id = 'CidrInvalid' }
    ) {
        $run = Invoke-FreshPwsh -Script "Import-Module '$(Get-ModuleUnderTest)'; $Script" -Environment @{ TF_BUILD = 'True'; KUBECONFIG = $cluster.KubeConfig } -TimeoutSeconds 60

        $issues = @($run.Output -split '\r?\n' | Where-Object { $_ -like '##vso`[task.logissue type=error*' })
        $issues | Should -HaveCount 1 -Because "$($run.Output)`n$($run.Error)"
        $issues[0] | Should -BeLike "##vso``[task.logissue type=error;code=$Id]*"
        # Still an ordinary PowerShell error on the error stream as well.
        $run.Error | Should -Match "$Command`: "
    }
}
