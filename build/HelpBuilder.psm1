# Turns docs/*.md into the module's MAML help and about topics. platyPS is not obtainable from
# this project's package sources, so the build does it: syntax and parameter metadata come from
# the built cmdlets themselves (help cannot drift from code); descriptions and examples from docs/.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'Prerequisites.psm1')

function Build-ModuleHelp {
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DocsPath)
    # A child pwsh, because reading cmdlet metadata means importing the module, and the build's own
    # session must stay free of it.
    $pwsh = Get-PwshPath
    & $pwsh -NoLogo -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'New-ModuleHelp.ps1') -ModulePath $ModulePath -DocsPath $DocsPath
    if ($LASTEXITCODE -ne 0) { throw "Generating help from $DocsPath failed (exit code $LASTEXITCODE)." }
}

Export-ModuleMember -Function Build-ModuleHelp
