BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cluster = Start-SuiteCluster -Workers 3
    $env:KUBECONFIG = $cluster.KubeConfig
}

AfterAll {
    Stop-TestCluster $cluster
    Remove-Item Env:KUBECONFIG -ErrorAction Ignore
}

Describe 'Get-ClusterNode' {
    It 'lists every node with the values kubectl get nodes -o wide prints' {
        $wide = Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'nodes', '-o', 'wide'
        $header, $rows = $wide
        $header | Should -Match '^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME'
        $nodes = @(Get-ClusterNode)
        $nodes.Count | Should -Be $rows.Count
        $display = [ClusterManagement.Commands.Formatting.Display]
        foreach ($row in $rows) {
            # OS-IMAGE contains spaces; every other column does not, so split from both ends.
            $cells = $row -split '\s{2,}'
            $node = $nodes | Where-Object Name -eq $cells[0]
            $node | Should -Not -BeNullOrEmpty -Because "kubectl lists $($cells[0])"
            $node.Status | Should -Be $cells[1]
            $display::List($node.Roles) | Should -Be $cells[2]
            $display::Age($node.Created) | Should -Be $cells[3]
            $node.Version | Should -Be $cells[4]
            $display::OrNone($node.InternalIP) | Should -Be $cells[5]
            $display::OrNone($node.ExternalIP) | Should -Be $cells[6]
            $node.OSImage | Should -Be $cells[7]
            $node.KernelVersion | Should -Be $cells[8]
            $display::OrUnknown($node.ContainerRuntime) | Should -Be $cells[9]
        }
    }

    It 'carries the details behind the columns' {
        $json = (Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'get', 'node', 'worker-1', '-o', 'json') | ConvertFrom-Json
        $node = Get-ClusterNode -Name worker-1
        $node.PodCIDRs | Should -Be @($json.spec.podCIDRs)
        $node.Capacity['cpu'] | Should -Be $json.status.capacity.cpu
        $node.Allocatable['pods'] | Should -Be $json.status.allocatable.pods
        $node.Labels['kubernetes.io/hostname'] | Should -Be 'worker-1'
        ($node.Conditions | Where-Object Type -eq 'Ready').Status | Should -Be 'True'
        $node.Readiness | Should -Be 'Ready'
        $node.Created.Kind | Should -Be 'Utc'
    }

    It 'shows the control plane role and its taint' {
        $cp = Get-ClusterNode -Role control-plane
        $cp.Name | Should -Be 'cp-1'
        $cp.Taints.ForEach('ToString') | Should -Contain 'node-role.kubernetes.io/control-plane:NoSchedule'
    }

    It 'selects by wildcard, and a wildcard that matches nothing returns nothing without error' {
        (Get-ClusterNode -Name 'worker-*').Name | Should -Be @('worker-1', 'worker-2', 'worker-3')
        Get-ClusterNode -Name 'nothing-*' -ErrorVariable problems | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }

    It 'reports a missing name as ObjectNotFound naming it, and still returns the others' {
        $found = Get-ClusterNode -Name 'worker-1', 'no-such-node', 'worker-2' -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Name | Should -Be @('worker-1', 'worker-2')
        $problems.Count | Should -Be 1
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'no-such-node'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'NodeNotFound*'
        $problems[0].Exception.Message | Should -Match "no-such-node"
    }

    It 'filters on readiness and label selectors' {
        (Get-ClusterNode -Status Ready).Count | Should -Be 4
        Get-ClusterNode -Status NotReady | Should -BeNullOrEmpty
        (Get-ClusterNode -LabelSelector 'node-role.kubernetes.io/control-plane').Name | Should -Be 'cp-1'
        (Get-ClusterNode -LabelSelector '!node-role.kubernetes.io/control-plane').Count | Should -Be 3
    }

    It 'takes names from the pipeline, by value and by property name' {
        ('worker-2', 'worker-3' | Get-ClusterNode).Name | Should -Be @('worker-2', 'worker-3')
        ([pscustomobject]@{ NodeName = 'worker-1' } | Get-ClusterNode).Name | Should -Be 'worker-1'
        (Get-ClusterNode -Name cp-1 | Get-ClusterNode).Name | Should -Be 'cp-1'
    }

    It 'shows kubectl''s columns and the internal address in its default table view, and all wide columns in the Wide view' {
        $text = Get-ClusterNode -Name cp-1 | Out-String -Width 250
        $text | Should -Match 'Name\s+Status\s+Roles\s+Age\s+Version\s+InternalIP\s*\r?\n'
        $text | Should -Match 'cp-1\s+Ready\s+control-plane'
        $wide = Get-ClusterNode -Name cp-1 | Format-Table -View Wide | Out-String -Width 250
        $wide | Should -Match 'Name\s+Status\s+Roles\s+Age\s+Version\s+InternalIP\s+ExternalIP\s+OSImage\s+KernelVersion\s+ContainerRuntime'
        $list = Get-ClusterNode -Name cp-1 | Format-List | Out-String -Width 250
        $list | Should -Match 'PodCIDRs\s+:'
        $list | Should -Match 'Conditions\s+:'
    }

    It 'serializes cleanly to JSON with ISO 8601 timestamps' {
        $json = Get-ClusterNode -Name worker-1 | ConvertTo-Json -Depth 4 -WarningAction Stop
        $back = $json | ConvertFrom-Json -DateKind String
        $back.Name | Should -Be 'worker-1'
        $back.Created | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}'
    }

    It 'lists in pages of 500 and writes the first page before the last one is read' {
        $big = Start-SuiteCluster -Workers 1200
        try {
            Invoke-EmulatorControl -Cluster $big -Method DELETE -Path 'requests' | Out-Null
            $first = Get-ClusterNode -KubeConfig $big.KubeConfig | Select-Object -First 1
            $first | Should -Not -BeNullOrEmpty
            $all = Get-ClusterNode -KubeConfig $big.KubeConfig
            $all.Count | Should -Be 1201
            $requests = @(Invoke-EmulatorControl -Cluster $big -Path 'requests') | ForEach-Object { $_ } |
                Where-Object { $_.path -like '/api/v1/nodes?*' }
            # The stopped listing read one page; the full one read three (500 + 500 + 201).
            @($requests | Where-Object { $_.path -match 'limit=500' }).Count | Should -Be 4
            @($requests | Where-Object { $_.path -match 'continue=' }).Count | Should -Be 2
        }
        finally {
            Stop-TestCluster $big
        }
    }

    It 'shows each API request with -Verbose and never a credential' {
        $verbose = Get-ClusterNode -Name worker-1 -Context sandbox-token -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'GET /api/v1/nodes/worker-1 200 OK \(\d+ ms\)'
        $config = Get-Content $cluster.KubeConfig -Raw
        $token = [regex]::Match($config, 'token:\s*(\S+)').Groups[1].Value
        $token | Should -Not -BeNullOrEmpty
        ($verbose.Message -join "`n") | Should -Not -Match ([regex]::Escape($token))
    }
}

Describe 'Get-ClusterNode errors' {
    It 'reports an API server that does not answer as a ConnectionError' {
        $dead = Join-Path $TestDrive 'dead.kubeconfig'
        (Get-Content $cluster.KubeConfig -Raw) -replace 'https://127\.0\.0\.1:\d+', 'https://127.0.0.1:9' | Set-Content $dead
        $failure = { Get-ClusterNode -KubeConfig $dead } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure.FullyQualifiedErrorId | Should -BeLike 'ApiServerUnreachable*'
        $failure.Exception.Message | Should -Not -Match 'at ClusterManagement\.'
    }

    It 'reports an unreadable kubeconfig naming the file' {
        $bad = Join-Path $TestDrive 'bad.kubeconfig'
        Set-Content $bad "apiVersion: v1`nclusters: [ this is not yaml"
        $failure = { Get-ClusterNode -KubeConfig $bad } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'KubeConfigInvalid*'
        $failure.Exception.Message | Should -Match ([regex]::Escape($bad))
    }

    It 'reports a missing kubeconfig file' {
        $failure = { Get-ClusterNode -KubeConfig (Join-Path $TestDrive 'absent') } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'KubeConfigNotFound*'
    }

    It 'reports an unknown context and lists the known ones' {
        $failure = { Get-ClusterNode -Context no-such-context } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.FullyQualifiedErrorId | Should -BeLike 'ContextNotFound*'
        $failure.Exception.Message | Should -Match 'sandbox-token'
    }

    It 'reports rejected credentials (401) as an AuthenticationError without the token' {
        $failure = { Get-ClusterNode -Context sandbox-badtoken } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failure.FullyQualifiedErrorId | Should -BeLike '*Unauthorized*'
        $config = Get-Content $cluster.KubeConfig -Raw
        $badToken = [regex]::Matches($config, 'token:\s*(\S+)') | ForEach-Object { $_.Groups[1].Value }
        foreach ($token in $badToken) { ($failure | Out-String) | Should -Not -Match ([regex]::Escape($token)) }
    }

    It 'reports missing permissions (403) as PermissionDenied with the server message' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/api/v1/nodes'; statusCode = 403; message = 'nodes is forbidden: User "dev" cannot list resource "nodes" in API group "" at the cluster scope'; times = 1 } | Out-Null
        $failure = { Get-ClusterNode } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failure.FullyQualifiedErrorId | Should -BeLike 'NodeForbidden*'
        $failure.Exception.Message | Should -Match 'cannot list resource "nodes"'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'RBAC'
    }

    It 'retries a transient server error and succeeds' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/api/v1/nodes/worker-3'; statusCode = 503; times = 2 } | Out-Null
        (Get-ClusterNode -Name worker-3).Name | Should -Be 'worker-3'
    }

    It 'reports a server error that persists, with the server message' {
        Invoke-EmulatorControl -Cluster $cluster -Method POST -Path 'faults' -Body @{ method = 'GET'; path = '/api/v1/nodes/worker-2'; statusCode = 500; times = 10 } | Out-Null
        try {
            $failure = { Get-ClusterNode -Name worker-2 -ErrorAction Stop } | Should -Throw -PassThru
            $failure.CategoryInfo.Category | Should -Be 'InvalidResult'
        }
        finally {
            Invoke-EmulatorControl -Cluster $cluster -Method DELETE -Path 'faults' | Out-Null
        }
    }
}

Describe 'Node name completion' {
    It 'completes node names from the cluster' {
        $completion = TabExpansion2 -inputScript 'Get-ClusterNode -Name work' -cursorColumn 'Get-ClusterNode -Name work'.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('worker-1', 'worker-2', 'worker-3')
    }

    It 'completes context names from the kubeconfig' {
        $completion = TabExpansion2 -inputScript 'Get-ClusterNode -Context sandbox-r' -cursorColumn 'Get-ClusterNode -Context sandbox-r'.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('sandbox-readonly')
    }

    It 'returns nothing and writes no error when the cluster is unreachable' {
        $dead = Join-Path $TestDrive 'dead-completion.kubeconfig'
        (Get-Content $cluster.KubeConfig -Raw) -replace 'https://127\.0\.0\.1:\d+', 'https://127.0.0.1:9' | Set-Content $dead
        $script = "Get-ClusterNode -KubeConfig '$dead' -Name w"
        $Error.Clear()
        $completion = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        $completion.CompletionMatches | Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }
}

Describe 'Node-host cmdlets refuse bad input before any host is contacted' {
    BeforeAll {
        # Stands where the host's SSH server would be: a connection attempt shows up as pending.
        $script:listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $script:listener.Start()
        $script:port = $script:listener.LocalEndpoint.Port
        $script:keyFile = Join-Path $TestDrive 'id_test'
        Set-Content $script:keyFile 'not a key: nothing may get as far as reading it'
        $script:access = @{ SshUser = 'cmadmin'; SshKeyPath = $script:keyFile; KnownHostsPath = (Join-Path $TestDrive 'known_hosts') }
        # A Node whose access data points at the listener, for the cmdlets that work on joined nodes.
        $node = @{ apiVersion = 'v1'; kind = 'Node'; metadata = @{ name = 'hostile-input'; annotations = @{
                    'clustermanagement.io/ssh-host' = '127.0.0.1'; 'clustermanagement.io/ssh-port' = "$script:port"; 'clustermanagement.io/ssh-user' = 'cmadmin' } } }
        $file = Join-Path $TestDrive 'hostile-input.json'
        $node | ConvertTo-Json -Depth 5 | Set-Content $file
        Invoke-KubectlJson -KubeConfig $cluster.KubeConfig -Arguments 'create', '-f', $file | Out-Null
        $script:nodesBefore = (Get-ClusterNode).Count
    }

    AfterAll {
        $script:listener.Stop()
    }

    AfterEach {
        $script:listener.Pending() | Should -BeFalse -Because 'nothing may connect to the host'
        (Get-ClusterNode).Count | Should -Be $script:nodesBefore
    }

    It 'New-ClusterNode refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'an upper-case node name'; Arguments = @{ Name = 'Worker-9' }; ErrorId = 'NodeNameInvalid' }
        @{ Case = 'a node name with an empty label'; Arguments = @{ Name = 'worker..9' }; ErrorId = 'NodeNameInvalid' }
        @{ Case = 'a node name with shell syntax'; Arguments = @{ Name = '$(touch /tmp/pwned)' }; ErrorId = 'NodeNameInvalid' }
        @{ Case = 'a role that cannot be a label name'; Arguments = @{ Role = 'gpu worker' }; ErrorId = 'RoleInvalid' }
        @{ Case = 'a label key with a space'; Arguments = @{ Label = @{ 'bad key' = 'x' } }; ErrorId = 'LabelKeyInvalid' }
        @{ Case = 'a label key with two slashes'; Arguments = @{ Label = @{ 'a/b/c' = 'x' } }; ErrorId = 'LabelKeyInvalid' }
        @{ Case = 'a label value with a slash'; Arguments = @{ Label = @{ 'tier' = 'a/b' } }; ErrorId = 'LabelValueInvalid' }
        @{ Case = 'a label value longer than 63'; Arguments = @{ Label = @{ 'tier' = 'v' * 64 } }; ErrorId = 'LabelValueInvalid' }
        @{ Case = 'a taint without an effect'; Arguments = @{ Taint = 'dedicated=gpu' }; ErrorId = 'TaintInvalid' }
        @{ Case = 'a taint with an unknown effect'; Arguments = @{ Taint = 'dedicated=gpu:NoRun' }; ErrorId = 'TaintInvalid' }
        @{ Case = 'a taint key with shell syntax'; Arguments = @{ Taint = '$(touch /tmp/pwned):NoSchedule' }; ErrorId = 'TaintKeyInvalid' }
        @{ Case = 'a taint value with a space'; Arguments = @{ Taint = 'dedicated=g p u:NoSchedule' }; ErrorId = 'TaintValueInvalid' }
        @{ Case = 'an engine version with shell syntax'; Arguments = @{ EngineVersion = '27;touch /tmp/pwned' }; ErrorId = 'PackageVersionInvalid' }
        @{ Case = 'a Kubernetes version that is an option'; Arguments = @{ KubernetesVersion = '--help' }; ErrorId = 'PackageVersionInvalid' }
    ) {
        $call = @{ Name = 'worker-9'; Address = '127.0.0.1'; Port = $script:port }
        foreach ($key in $Arguments.Keys) { $call[$key] = $Arguments[$key] }
        New-ClusterNode @call @script:access -Force -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'New-ClusterNode names the rule a label key breaks, as the API server words it' {
        New-ClusterNode -Name worker-9 -Address 127.0.0.1 -Port $script:port @script:access -Label @{ 'bad key' = 'x' } -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].Exception.Message | Should -BeLike "*'bad key'*name part must consist of alphanumeric characters, '-', '_' or '.'*"
    }

    It '<Command> refuses a service name that is no systemd unit with ServiceNameInvalid' -ForEach @(
        @{ Command = 'Get-NodeService' }
        @{ Command = 'Start-NodeService' }
        @{ Command = 'Stop-NodeService' }
        @{ Command = 'Restart-NodeService' }
    ) {
        foreach ($name in '$(touch /tmp/pwned)', 'docker;reboot', "kubelet`nreboot", 'a b') {
            { & $Command -Node hostile-input -Name $name @script:access -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceNameInvalid,*'
        }
    }

    It 'Update-NodeDocker refuses a version with shell syntax with PackageVersionInvalid' {
        { Update-NodeDocker -Node hostile-input -Version '$(touch /tmp/pwned)' @script:access -Force -ErrorAction Stop } | Should -Throw -ErrorId 'PackageVersionInvalid,*'
        { Update-NodeDocker -Node hostile-input -Version 27.5 -ContainerdVersion '-x' @script:access -Force -ErrorAction Stop } | Should -Throw -ErrorId 'PackageVersionInvalid,*'
    }

    It '<_> refuses a Kubernetes version with shell syntax with KubernetesVersionInvalid, before any host is contacted' -ForEach 'Update-ClusterNode', 'Get-ClusterUpgradePlan' {
        foreach ($version in '$(touch /tmp/pwned)', '1.32; reboot', '1.32.4 --ignore-preflight-errors=all', '-1.32') {
            { & $_ -Node hostile-input -KubernetesVersion $version @script:access -ErrorAction Stop } | Should -Throw -ErrorId 'KubernetesVersionInvalid,*'
        }
    }
}
