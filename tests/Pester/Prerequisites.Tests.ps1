# What the build installs on a fresh machine (build/Prerequisites.psm1): a package dpkg has never seen
# must be installed, or the tests that need it fail on the first clean machine and pass everywhere else.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSetup.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'build/Prerequisites.psm1') -Force
    # apt-get itself is never run here: the mock records what it was asked for and succeeds.
    Mock -ModuleName Prerequisites apt-get { $global:LASTEXITCODE = 0 }
}

Describe 'Installing the build''s apt packages' -Skip:(-not (Get-Command dpkg-query -ErrorAction Ignore)) {
    It 'installs a package dpkg has never heard of, and only that one' {
        Install-AptPackage -Package 'cm-test-no-such-package', 'dpkg' 6> $null

        Should -Invoke -ModuleName Prerequisites apt-get -Times 1 -Exactly -ParameterFilter { $args[0] -eq 'update' }
        Should -Invoke -ModuleName Prerequisites apt-get -Times 1 -Exactly -ParameterFilter {
            $args -contains 'install' -and $args -contains 'cm-test-no-such-package' -and $args -notcontains 'dpkg'
        }
    }

    It 'asks apt-get nothing when every package is installed' {
        Install-AptPackage -Package 'dpkg' 6> $null

        Should -Invoke -ModuleName Prerequisites apt-get -Times 0 -Exactly
    }
}
