<#
.SYNOPSIS
    Writes en-US/ClusterManagement.dll-Help.xml and en-US/about_*.help.txt into the built module.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModulePath -PassThru -Force
$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Split-Sections {
    <# Splits markdown text into an ordered map of heading -> body, at the given heading level. #>
    param([string] $Text, [int] $Level)
    $sections = [ordered]@{}
    $marker = ('#' * $Level) + ' '
    $current = $null
    $inFence = $false
    foreach ($line in $Text -split "`r?`n") {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($marker)) {
            $current = $line.Substring($marker.Length).Trim()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
        }
        elseif ($null -ne $current) {
            $sections[$current].Add($line)
        }
    }
    $result = [ordered]@{}
    foreach ($key in $sections.Keys) { $result[$key] = ($sections[$key] -join "`n").Trim() }
    $result
}

function Get-Paragraphs {
    param([string] $Text)
    @(($Text -split "`n\s*`n") | ForEach-Object { ($_ -replace '\s*\n\s*', ' ').Trim() } | Where-Object { $_ })
}

function Read-Example {
    <# An example: the first ```powershell fence is the code, a following plain fence the output, the rest remarks. #>
    param([string] $Title, [string] $Body)
    $code = $null; $output = $null
    $remarks = [System.Collections.Generic.List[string]]::new()
    $fence = $null; $buffer = $null
    foreach ($line in $Body -split "`n") {
        if ($line -match '^\s*```(\w*)') {
            if ($null -eq $fence) { $fence = $Matches[1]; $buffer = [System.Collections.Generic.List[string]]::new(); continue }
            $text = $buffer -join "`n"
            if ($fence -eq 'powershell' -and $null -eq $code) { $code = $text } else { $output = $text }
            $fence = $null
            continue
        }
        if ($null -ne $fence) { $buffer.Add($line) } else { $remarks.Add($line) }
    }
    [pscustomobject]@{ Title = $Title; Code = $code; Output = $output; Remarks = Get-Paragraphs ($remarks -join "`n") }
}

function Read-CommandPage {
    param([string] $Path)
    $text = Get-Content $Path -Raw
    $sections = Split-Sections -Text $text -Level 2
    $parameters = @{}
    if ($sections.Contains('PARAMETERS')) {
        $parameterSections = Split-Sections -Text $sections['PARAMETERS'] -Level 3
        foreach ($key in $parameterSections.Keys) { $parameters[$key.TrimStart('-')] = Get-Paragraphs $parameterSections[$key] }
    }
    $examples = @()
    if ($sections.Contains('EXAMPLES')) {
        $exampleSections = Split-Sections -Text $sections['EXAMPLES'] -Level 3
        $examples = @($exampleSections.Keys | ForEach-Object { Read-Example -Title $_ -Body $exampleSections[$_] })
    }
    $typed = {
        param($name)
        if (-not $sections.Contains($name)) { return @() }
        $typeSections = Split-Sections -Text $sections[$name] -Level 3
        @($typeSections.Keys | ForEach-Object { [pscustomobject]@{ Type = $_; Description = Get-Paragraphs $typeSections[$_] } })
    }
    $links = @()
    if ($sections.Contains('RELATED LINKS')) {
        $links = @(($sections['RELATED LINKS'] -split "`n") | Where-Object { $_ -match '^\s*[-*]\s+(.+)$' } | ForEach-Object {
                $item = $Matches[1].Trim()
                if ($item -match '^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)$') { [pscustomobject]@{ Text = $Matches.text; Uri = $Matches.uri } }
                else { [pscustomobject]@{ Text = $item; Uri = '' } }
            })
    }
    [pscustomobject]@{
        Synopsis    = (Get-Paragraphs ($sections['SYNOPSIS'] ?? '')) -join ' '
        Description = Get-Paragraphs ($sections['DESCRIPTION'] ?? '')
        Parameters  = $parameters
        Examples    = $examples
        Inputs      = & $typed 'INPUTS'
        Outputs     = & $typed 'OUTPUTS'
        Notes       = Get-Paragraphs ($sections['NOTES'] ?? '')
        Links       = $links
    }
}

# Parameters every cluster cmdlet shares are described once, in docs/_common-parameters.md;
# a page may still describe one itself when it means something special there.
$commonPage = Join-Path $DocsPath '_common-parameters.md'
$sharedDescriptions = if (Test-Path $commonPage) {
    $sections = Split-Sections -Text (Get-Content $commonPage -Raw) -Level 3
    $map = @{}; foreach ($key in $sections.Keys) { $map[$key.TrimStart('-')] = Get-Paragraphs $sections[$key] }; $map
}
else { @{} }

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-Paras {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    if (-not $Paragraphs) { $Paragraphs = @('') }
    foreach ($p in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, $p) }
}

function Get-TypeName {
    param([Type] $Type)
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return $underlying.Name }
    if ($Type.IsArray) { return "$($Type.GetElementType().Name)[]" }
    $Type.Name
}

function Get-PipelineText {
    param($Attributes)
    $kinds = @()
    if ($Attributes | Where-Object ValueFromPipeline) { $kinds += 'ByValue' }
    if ($Attributes | Where-Object ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-Parameter {
    param([System.Xml.XmlWriter] $Writer, $Parameter, $SetAttribute, [string[]] $Description)
    $attributes = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $set = if ($SetAttribute) { $SetAttribute } else { $attributes[0] }
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', ([string] [bool] $set.Mandatory).ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ([string] $Parameter.ParameterType.IsArray).ToLowerInvariant())
    $globbing = [bool] ($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $Writer.WriteAttributeString('globbing', ([string] $globbing).ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineText $attributes))
    $Writer.WriteAttributeString('position', $(if ($set.Position -ge 0) { [string] $set.Position } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.Name)
    $Writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $Writer $Description; $Writer.WriteEndElement()
    $typeName = Get-TypeName $Parameter.ParameterType
    if ($Parameter.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', ([string] $Parameter.ParameterType.IsArray).ToLowerInvariant())
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $ns.dev); $Writer.WriteElementString('maml', 'name', $ns.maml, $typeName); $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, 'None')
    $Writer.WriteEndElement()
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$helpDir = Join-Path $ModulePath 'en-US'
$null = New-Item -ItemType Directory -Path $helpDir -Force
$writer = [System.Xml.XmlWriter]::Create((Join-Path $helpDir 'ClusterManagement.dll-Help.xml'), $settings)
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')

foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $page = Join-Path $DocsPath "$($command.Name).md"
    if (-not (Test-Path $page)) { Write-Warning "No help page for $($command.Name) ($page)."; continue }
    $doc = Read-CommandPage -Path $page
    $describe = {
        param($name)
        if ($doc.Parameters.ContainsKey($name)) { return $doc.Parameters[$name] }
        if ($sharedDescriptions.ContainsKey($name)) { return $sharedDescriptions[$name] }
        Write-Warning "$($command.Name): parameter -$name has no description."
        @()
    }

    $writer.WriteStartElement('command', 'command', $ns.command)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $writer.WriteStartElement('command', 'details', $ns.command)
    $writer.WriteElementString('command', 'name', $ns.command, $command.Name)
    $writer.WriteElementString('command', 'verb', $ns.command, $command.Verb)
    $writer.WriteElementString('command', 'noun', $ns.command, $command.Noun)
    $writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $writer @($doc.Synopsis); $writer.WriteEndElement()
    $writer.WriteEndElement()
    $writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $writer $doc.Description; $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $writer.WriteElementString('maml', 'name', $ns.maml, $command.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $commonParameters -or $_.Name -in 'WhatIf', 'Confirm' }) {
            $full = $command.Parameters[$p.Name]
            $setAttribute = $full.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ParameterSetName -eq $set.Name -or $_.ParameterSetName -eq '__AllParameterSets') } | Select-Object -First 1
            Write-Parameter -Writer $writer -Parameter $full -SetAttribute $setAttribute -Description (& $describe $p.Name)
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -or $_.Name -in 'WhatIf', 'Confirm' } | Sort-Object Name) {
        Write-Parameter -Writer $writer -Parameter $p -SetAttribute $null -Description (& $describe $p.Name)
    }
    $writer.WriteEndElement()

    foreach ($kind in @(@{ Outer = 'inputTypes'; Inner = 'inputType'; Items = $doc.Inputs }, @{ Outer = 'returnValues'; Inner = 'returnValue'; Items = $doc.Outputs })) {
        $writer.WriteStartElement('command', $kind.Outer, $ns.command)
        foreach ($item in $kind.Items) {
            $writer.WriteStartElement('command', $kind.Inner, $ns.command)
            $writer.WriteStartElement('dev', 'type', $ns.dev); $writer.WriteElementString('maml', 'name', $ns.maml, $item.Type); $writer.WriteEndElement()
            $writer.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $writer $item.Description; $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('maml', 'alertSet', $ns.maml)
    $writer.WriteStartElement('maml', 'alert', $ns.maml); Write-Paras $writer $doc.Notes; $writer.WriteEndElement()
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'examples', $ns.command)
    foreach ($example in $doc.Examples) {
        $writer.WriteStartElement('command', 'example', $ns.command)
        $writer.WriteElementString('maml', 'title', $ns.maml, "--------- $($example.Title) ---------")
        $writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $writer.WriteStartElement('dev', 'remarks', $ns.dev)
        $remarks = @($example.Remarks)
        if ($example.Output) { $remarks = @($example.Output) + $remarks }
        Write-Paras $writer $remarks
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    # Get-Help -Online opens the first related link that has a URI: the cmdlet's own page, as platyPS writes it.
    $online = @([pscustomobject]@{ Text = 'Online Version:'; Uri = $command.HelpUri } | Where-Object Uri)
    foreach ($link in $online + $doc.Links) {
        $writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $writer.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
        $writer.WriteElementString('maml', 'uri', $ns.maml, $link.Uri)
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

# About topics: plain text in the layout of PowerShell's own about_*.help.txt. Get-Help reads a
# topic's synopsis (what `Get-Help about_*` lists) from the file's fifth line, so the header is
# fixed: TOPIC, the name, a blank line, SHORT DESCRIPTION, then the summary on one line.
foreach ($about in Get-ChildItem $DocsPath -Filter 'about_*.md') {
    $sections = Split-Sections -Text (Get-Content $about.FullName -Raw) -Level 2
    $summary = (Get-Paragraphs ($sections['SHORT DESCRIPTION'] ?? '')) -join ' '
    if (-not $summary) { throw "$($about.Name) has no SHORT DESCRIPTION section: Get-Help about_* would list the topic without a summary." }
    $body = foreach ($key in $sections.Keys | Where-Object { $_ -ne 'SHORT DESCRIPTION' }) {
        $key
        ($sections[$key] -replace '(?m)^```\w*\s*$', '' -replace '(?m)^#+\s*', '').TrimEnd()
        ''
    }
    $text = @('TOPIC', "    $($about.BaseName)", '', 'SHORT DESCRIPTION', "    $summary", '') + @($body) -join "`n"
    Set-Content -Path (Join-Path $helpDir "$($about.BaseName).help.txt") -Value $text -Encoding utf8NoBOM
}
