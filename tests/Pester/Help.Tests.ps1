BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $commands = @(Get-Command -Module ClusterManagement | ForEach-Object { @{ Name = $_.Name } })
    $docsPath = Join-Path (Get-RepoRoot) 'docs'
    # Guides (azure-pipelines.md) sit beside the cmdlet pages; a cmdlet page is named Verb-Noun with an approved verb.
    # Pages marked "<!-- examples: node hosts -->" or "node network" need real hosts: NodeHosts.Tests.ps1 and NodeNetwork.Tests.ps1 run their examples on their fleets.
    $pages = @(Get-ChildItem $docsPath -Filter '*-*.md' | Where-Object { $_.BaseName -match '^\w+-\w+$' -and (Get-Verb ($_.BaseName -split '-')[0]) } |
        # Joined: -notmatch on the array of lines would keep any page whose first line lacks the marker.
        Where-Object { ((Get-Content $_.FullName -TotalCount 2) -join "`n") -notmatch '<!-- examples: node (hosts|network) -->' } |
        ForEach-Object { @{ Page = $_.FullName; Name = $_.BaseName; AllSections = $false } })
    # An about topic whose every code block runs against one cluster's contexts: its examples run as a cmdlet page's do.
    $pages += @{ Page = Join-Path $docsPath 'about_ClusterManagement_Fleets.md'; Name = 'about_ClusterManagement_Fleets'; AllSections = $true }
    $pages += @{ Page = Join-Path $docsPath 'about_ClusterManagement_Diagnostics.md'; Name = 'about_ClusterManagement_Diagnostics'; AllSections = $true }
    $abouts = @(Get-ChildItem $docsPath -Filter 'about_*.md' | ForEach-Object { @{ Topic = $_.BaseName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    $modulePath = Get-ModuleUnderTest
    Import-Module $modulePath -Force
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $projectUri = (Import-PowerShellDataFile (Join-Path (Get-RepoRoot) 'ClusterManagement.psd1')).PrivateData.PSData.ProjectUri

    function Get-ExampleCode {
        <# The powershell fences under "## EXAMPLES", in order: what the docs page shows users. #>
        param([string] $Path, [switch] $AllSections)
        $text = Get-Content $Path -Raw
        $examples = ($text -split '(?m)^## ')[1..99] | Where-Object { $AllSections -or $_ -like 'EXAMPLES*' }
        [regex]::Matches([string] $examples, '(?ms)^```powershell\s*\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value.Trim() }
    }
}

Describe 'Help for <Name>' -ForEach $commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a docs page' {
        Join-Path (Get-RepoRoot) "docs/$Name.md" | Should -Exist
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name \[" -Because 'a synopsis that is only the syntax means the help is missing'
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
    }

    It 'describes every parameter' {
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' }) {
            $described = $help.parameters.parameter | Where-Object name -eq $parameter.Name
            ($described.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name needs help"
        }
    }

    It 'names its output type' {
        @($help.returnValues.returnValue).Count | Should -BeGreaterOrEqual 1
    }

    It 'opens its docs page in the repository with Get-Help -Online' {
        $projectUri | Should -Match '^https://'
        $command.HelpUri | Should -Be "$projectUri/blob/main/docs/$Name.md"
        # Get-Help -Online follows the help's first related link when the help has one: it must be the same page.
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be $command.HelpUri
    }

    It 'shows every parameter with a type that says what to pass' {
        foreach ($parameter in $help.parameters.parameter) {
            $parameter.type.name | Should -Not -BeIn 'Object', 'Object[]', 'PSObject', 'PSObject[]' -Because "-$($parameter.name) of $Name must say what it takes"
        }
    }
}

Describe 'Get-Help -Online' {
    It 'opens each cmdlet''s docs page (a stand-in xdg-open records what the browser would get)' -Skip:(-not $IsLinux) {
        $bin = Join-Path $TestDrive 'browser'
        $opened = Join-Path $TestDrive 'opened.txt'
        $null = New-Item -ItemType Directory $bin -Force
        Set-Content (Join-Path $bin 'xdg-open') "#!/bin/sh`necho `"`$1`" >> '$opened'`n" -NoNewline
        chmod +x (Join-Path $bin 'xdg-open')
        $names = @((Get-Command -Module ClusterManagement).Name | Sort-Object)
        $script = "Import-Module '$modulePath'; foreach (`$name in '$($names -join "','")') { Get-Help `$name -Online }"
        $run = Invoke-FreshPwsh -Script $script -Environment @{ PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH" }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        # xdg-open is started, not awaited: give the last ones a moment to write.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@(Get-Content $opened -ErrorAction Ignore).Count -lt $names.Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        @(Get-Content $opened | Sort-Object) | Should -Be @($names | ForEach-Object { "$projectUri/blob/main/docs/$_.md" } | Sort-Object)
    }
}

Describe 'Generated help' {
    It 'says nothing of the test world (emulator, test suites, test-only image tags)' {
        $helpDir = Join-Path $modulePath 'en-US'
        $files = @(Get-ChildItem $helpDir -File)
        $files.Count | Should -BeGreaterThan 1
        $hits = foreach ($file in $files) {
            # '\bfleet\b': the test hosts; fleets of clusters (about_ClusterManagement_Fleets) are a user's own.
            Select-String -Path $file.FullName -Pattern 'emulat', 'Pester', 'tests/', 'test suite', '\bbroken\b', '\bfleet\b' -AllMatches |
                ForEach-Object { "$($file.Name):$($_.LineNumber): $($_.Line.Trim())" }
        }
        $hits | Should -BeNullOrEmpty
    }
}

Describe 'About topic <Topic>' -ForEach $abouts {
    It 'is reachable with Get-Help' {
        $text = Get-Help $Topic | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text.Length | Should -BeGreaterThan 500
    }

    It 'lists its SHORT DESCRIPTION as its summary in Get-Help about_ClusterManagement*' {
        $page = Get-Content (Join-Path (Get-RepoRoot) "docs/$Topic.md") -Raw
        $summary = (($page -split '(?m)^## ')[1..99] | Where-Object { $_ -like 'SHORT DESCRIPTION*' }) -replace '^SHORT DESCRIPTION\s*', '' -replace '\s+', ' '
        $summary.Trim() | Should -Not -BeNullOrEmpty
        $listed = @(Get-Help 'about_ClusterManagement*' | Where-Object Name -eq $Topic)
        $listed.Count | Should -Be 1
        $listed[0].Synopsis | Should -Be $summary.Trim()
    }
}

Describe 'Help from -?' {
    It 'shows each cmdlet''s synopsis and syntax in a fresh pwsh' {
        $names = @((Get-Command -Module ClusterManagement).Name)
        $script = "Import-Module '$modulePath'; foreach (`$name in '$($names -join "','")') { '=== ' + `$name; & `$name -? | Out-String -Width 200 }"
        $run = Invoke-FreshPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $sections = @($run.Output -split '(?m)^=== ' | Where-Object { $_ })
        $sections.Count | Should -Be $names.Count
        foreach ($section in $sections) {
            $name, $text = $section -split '\r?\n', 2
            $synopsis = (Get-Help $name).Synopsis
            ($text -replace '\s+', ' ') | Should -Match ([regex]::Escape(($synopsis -replace '\s+', ' ').Trim())) -Because "$name -? must show its synopsis"
            $text | Should -Match "(?m)^SYNTAX" -Because "$name -? must show its syntax"
        }
    }
}

Describe 'About topics' {
    It 'has one topic per area, each reachable with Get-Help in a fresh pwsh' {
        $areas = 'about_ClusterManagement', 'about_ClusterManagement_Nodes', 'about_ClusterManagement_NodeHosts',
            'about_ClusterManagement_Storage', 'about_ClusterManagement_Network', 'about_ClusterManagement_Applications', 'about_ClusterManagement_Fleets', 'about_ClusterManagement_Diagnostics'
        # Get-Help finds about topics of imported modules only through their en-US folder: what a user's session sees.
        $script = "Import-Module '$modulePath'; foreach (`$topic in '$($areas -join "','")') { '=== ' + `$topic; Get-Help `$topic | Out-String -Width 200 }"
        $run = Invoke-FreshPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $sections = $run.Output -split '(?m)^=== ' | Where-Object { $_ }
        $sections.Count | Should -Be $areas.Count
        foreach ($section in $sections) {
            $topic, $text = $section -split '\r?\n', 2
            $text | Should -Match "(?m)^\s*$topic\s*$" -Because "Get-Help $topic must show that topic"
            $text | Should -Match 'SHORT DESCRIPTION'
        }
    }
}

Describe 'Examples of <Name> run against the emulator' -ForEach $pages {
    BeforeAll {
        # The sandbox's own seed: the docs examples use its sample app as well as its nodes.
        $cluster = Start-SuiteCluster -Workers 3 -ExtraArgument '--sample-app'
        # The release that fails in the diagnosis examples names a tag no registry has, as a user's typo would.
        Invoke-EmulatorControl -Cluster $cluster -Method PUT -Path images -Body @{ image = 'nginx:9.9'; pull = 'NotFound' } | Out-Null
    }

    AfterAll {
        Stop-TestCluster $cluster
    }

    It 'runs every example without an error' {
        $examples = @(Get-ExampleCode -Path $Page -AllSections:$AllSections)
        $examples.Count | Should -BeGreaterOrEqual 2
        # A fresh runspace per page: examples may change session defaults (Use-ClusterContext).
        $runspace = [powershell]::Create()
        try {
            $null = $runspace.AddScript("`$ErrorActionPreference = 'Stop'; `$ConfirmPreference = 'None'; `$env:KUBECONFIG = '$($cluster.KubeConfig)'; Import-Module '$modulePath'").Invoke()
            foreach ($code in $examples) {
                $runspace.Commands.Clear()
                $null = $runspace.AddScript($code).AddCommand('Out-String')
                $output = $runspace.Invoke()
                $errors = @($runspace.Streams.Error)
                $runspace.Streams.Error.Clear()
                $errors | Should -BeNullOrEmpty -Because "the example `n$code`n must work; it wrote: $($errors | Out-String) $output"
            }
        }
        finally {
            $runspace.Dispose()
        }
    }
}
