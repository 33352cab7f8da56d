BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $modulePath = Get-ModuleUnderTest
    $manifestPath = Join-Path $modulePath 'ClusterManagement.psd1'
    $manifest = Import-PowerShellDataFile $manifestPath
    $module = Import-Module $modulePath -PassThru -Force
}

Describe 'The module manifest' {
    It 'is valid and targets PowerShell 7.4+ Core only' {
        $info = Test-ModuleManifest $manifestPath
        $info.PowerShellVersion | Should -Be ([version] '7.4')
        $info.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'exports exactly the cmdlets the assembly defines' {
        $defined = [System.AppDomain]::CurrentDomain.GetAssemblies() |
            Where-Object { $_.GetName().Name -eq 'ClusterManagement' } |
            ForEach-Object { $_.GetExportedTypes() } |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be @($defined | Sort-Object)
        @((Get-Command -Module ClusterManagement).Name | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports no functions, aliases or variables by wildcard' {
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
        $manifest.VariablesToExport | Should -BeNullOrEmpty
    }

    It 'stamps the manifest version into the assemblies' {
        $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ClusterManagement' } | Select-Object -First 1
        $assembly.GetName().Version.ToString(3) | Should -Be $manifest.ModuleVersion
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        foreach ($command in Get-Command -Module ClusterManagement) { $command.Verb | Should -BeIn $approved -Because $command.Name }
    }

    It 'uses singular nouns that start with the object they work on' {
        # Get-Command -Noun Cluster*, Node*, App*, Csi*, Storage* then lists an area's cmdlets together.
        foreach ($command in Get-Command -Module ClusterManagement) {
            $command.Noun | Should -Not -Match '[^s]s$' -Because "$($command.Name) names one kind of object"
            $command.Noun | Should -Match '^(Cluster|Node|App|Csi|Storage)([A-Z]|$)' -Because $command.Name
        }
    }

    It 'declares an output type on every cmdlet and -WhatIf on every cmdlet that changes something' {
        $readOnly = 'Get', 'Test', 'Wait'
        foreach ($command in Get-Command -Module ClusterManagement) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) must declare [OutputType]"
            if ($command.Verb -notin $readOnly) {
                $command.Parameters.Keys | Should -Contain 'WhatIf' -Because "$($command.Name) changes something"
            }
        }
    }

    It 'gives -Force (do not ask) to every cmdlet that can ask, and to no other' {
        foreach ($command in Get-Command -Module ClusterManagement) {
            $canAsk = $command.Parameters.ContainsKey('Confirm')
            $command.Parameters.ContainsKey('Force') | Should -Be $canAsk -Because "$($command.Name) $(if ($canAsk) { 'can ask for confirmation' } else { 'never asks' })"
        }
    }

    It 'puts every cmdlet class in a sealed class of its own file, grouped by area' {
        $sources = Get-ChildItem (Join-Path (Get-RepoRoot) 'src/ClusterManagement') -Recurse -Filter '*Command.cs'
        foreach ($file in $sources) {
            $text = Get-Content $file.FullName -Raw
            ([regex]::Matches($text, '\[Cmdlet\(')).Count | Should -Be 1 -Because $file.Name
            $text | Should -Match 'public sealed class \w+Command' -Because $file.Name
        }
    }
}

Describe 'Shared parameter conventions' {
    It 'reads a plain number given to -Timeout as seconds, and a TimeSpan as itself' -ForEach @(
        @{ Value = 90; Expected = [TimeSpan]::FromSeconds(90) }
        @{ Value = 1.5; Expected = [TimeSpan]::FromSeconds(1.5) }
        @{ Value = '45'; Expected = [TimeSpan]::FromSeconds(45) }
        @{ Value = '00:01:30'; Expected = [TimeSpan]::FromSeconds(90) }
        @{ Value = [TimeSpan]::FromMinutes(2); Expected = [TimeSpan]::FromMinutes(2) }
    ) {
        [ClusterManagement.Commands.Infrastructure.TimeoutTransformationAttribute]::new().Transform($ExecutionContext, $Value) | Should -Be $Expected
    }

    It 'explains a -Timeout it cannot read' {
        { [ClusterManagement.Commands.Infrastructure.TimeoutTransformationAttribute]::new().Transform($ExecutionContext, 'soon') } | Should -Throw '*give seconds (90) or a TimeSpan (00:01:30)*'
    }
}

Describe 'Dependency isolation' {
    It 'loads its engine, KubernetesClient and YamlDotNet into its own load context' {
        # Reading a kubeconfig goes through the engine, KubernetesClient and YamlDotNet.
        $kubeconfig = Join-Path $TestDrive 'config'
        "apiVersion: v1`nkind: Config`ncontexts:`n- name: one`n  context: { cluster: c, user: u }" | Set-Content $kubeconfig
        (Get-ClusterContext -KubeConfig $kubeconfig).Name | Should -Be 'one'
        foreach ($name in 'ClusterManagement.Engine', 'KubernetesClient', 'YamlDotNet') {
            $loaded = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $name } |
                Where-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name -eq 'ClusterManagement' })
            $loaded.Count | Should -Be 1 -Because "$name belongs to the module's own load context"
        }
    }

    It 'lets scripts name its output types and catch its exception type' {
        $cluster = Start-SuiteCluster -Workers 1
        try {
            $node = Get-ClusterNode -KubeConfig $cluster.KubeConfig -Name worker-1
            $node | Should -BeOfType ([ClusterManagement.Nodes.ClusterNode])
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($node.GetType().Assembly).Name | Should -Be 'Default'
            $caught = $null
            try { Get-ClusterNode -KubeConfig $cluster.KubeConfig -Name no-such-node -ErrorAction Stop }
            catch [ClusterManagement.Diagnostics.ClusterException] { $caught = $_.Exception }
            $caught.Kind | Should -Be ([ClusterManagement.Diagnostics.ClusterErrorKind]::NotFound)
        }
        finally {
            Stop-TestCluster $cluster
        }
    }

    It 'lists nodes in a session that already holds YamlDotNet 11 (as powershell-yaml loads it)' {
        $yaml11 = Join-Path (Get-RepoRoot) 'out/test-packages/yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
        if (-not (Test-Path $yaml11)) {
            & dotnet restore (Join-Path (Get-RepoRoot) 'build/tools/TestPackages.csproj') --packages (Join-Path (Get-RepoRoot) 'out/test-packages') --nologo -v quiet
        }
        $yaml11 | Should -Exist
        $cluster = Start-SuiteCluster -Workers 2
        try {
            $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$yaml11'
`$before = [YamlDotNet.Serialization.Serializer].Assembly.GetName().Version.Major
Import-Module '$modulePath'
`$names = (Get-ClusterNode).Name -join ','
`$after = [YamlDotNet.Serialization.Serializer].Assembly.GetName().Version.Major
"`$before|`$names|`$after"
"@
            $result = Invoke-FreshPwsh -Script $script -Environment @{ KUBECONFIG = $cluster.KubeConfig }
            $result.ExitCode | Should -Be 0 -Because $result.Error
            $result.Output.Trim() | Should -Be '11|cp-1,worker-1,worker-2|11'
        }
        finally {
            Stop-TestCluster $cluster
        }
    }
}

Describe 'The architecture map' {
    It 'names only paths that exist' {
        $root = Get-RepoRoot
        $map = Get-Content -Raw (Join-Path $root 'docs/architecture.md')
        $paths = @([regex]::Matches($map, '`((?:src|tests|docs|build)/[^`<>*]*)`') | ForEach-Object { $_.Groups[1].Value })
        $paths.Count | Should -BeGreaterThan 10
        $missing = @($paths | Where-Object { -not (Test-Path (Join-Path $root $_)) })
        $missing | Should -BeNullOrEmpty -Because 'docs/architecture.md must stay true when folders move'
    }
}

Describe 'The error catalogue' {
    BeforeAll {
        $catalogue = [ClusterManagement.Diagnostics.ClusterErrors]
        $entries = @($catalogue, $catalogue.GetNestedType('Resource')) | ForEach-Object { $_.GetFields() } |
            ForEach-Object { $_.GetValue($null) }
    }

    It 'gives every id the category its problem word promises, on the record a script sees' {
        $expected = [ordered]@{ NotFound = 'ObjectNotFound'; AlreadyExists = 'ResourceExists'; Timeout = 'OperationTimeout'; Unreachable = 'ConnectionError' }
        $entries.Count | Should -BeGreaterThan 100
        $checked = 0
        foreach ($error in $entries) {
            $record = [ClusterManagement.Commands.Infrastructure.ErrorRecords]::From([ClusterManagement.Diagnostics.ClusterException]::new($error, 'message'))
            $record.FullyQualifiedErrorId | Should -Be $error.Id
            $record.CategoryInfo.Category | Should -Not -Be 'NotSpecified' -Because $error.Id
            foreach ($suffix in $expected.Keys | Where-Object { $error.Id.EndsWith($_) }) {
                $record.CategoryInfo.Category | Should -Be $expected[$suffix] -Because $error.Id
                $checked++
            }
        }
        $checked | Should -BeGreaterThan 20
    }
}
