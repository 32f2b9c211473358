// Madoguchi (窓口) on Azure: one App Service (Linux, Node 20) behind an Azure Bot, one
// PostgreSQL flexible server, and a Key Vault for the two secrets the app reads.
//
// The bot has no password: a user-assigned managed identity is its Microsoft App ID
// (msaAppType UserAssignedMSI), and the same identity reads the Key Vault references.
// Values come from infra/azure.parameters.json, whose ${{…}} placeholders are filled from
// env/.env.<env> (ids) and env/.env.<env>.user (SECRET_…, git-ignored) at provisioning.
//
// Settings the app reads (src/config.ts SETTINGS) that are deliberately NOT set here:
//   PORT                    App Service sets it.
//   HOST                    production's default, 0.0.0.0, is right.
//   SQLITE_PATH             local mode only; production uses DATABASE_URL.
//   PLAYGROUND_PORT         local mode only.
//   BOT_PASSWORD            the managed identity (BOT_MANAGED_IDENTITY_CLIENT_ID) replaces it.
//   GRAPH_CLIENT_CERTIFICATE_PATH, GRAPH_CLIENT_CERTIFICATE_THUMBPRINT
//                           the alternative to GRAPH_CLIENT_SECRET; this template uses the secret.
//   API_APP_ID_URI          derived: api://<the app's host>/<GRAPH_CLIENT_ID>.
//   MAIL_BODY_MAX_BYTES, MAIL_ATTACHMENT_MAX_BYTES
//                           email intake's limits; the defaults (1 MB, 10 MB) suit the desk.
//   DIGEST_AT               the morning summary's time; the default, 09:00 Tokyo time, suits the desk.
//   BOT_LANGUAGE            the default, each person's Teams language, is right where Teams is real.

@description('Prefix of every resource name; the Web App is <resourceBaseName>.azurewebsites.net.')
@minLength(3)
@maxLength(40)
param resourceBaseName string

param location string = resourceGroup().location

@description('Name shown for the bot in Azure.')
param botDisplayName string = 'Madoguchi'

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('fatal, error, warn, info, debug, trace or silent')
param logLevel string = 'info'

@description('Entra object ids, comma-separated: first line (一次対応).')
param roleFirstLine string = ''
@description('Entra object ids, comma-separated: second-line specialists (二次対応).')
param roleSpecialist string = ''
@description('Entra object ids, comma-separated: supervisors (職員). Production needs at least one.')
param roleSupervisor string

@description('PostgreSQL administrator name (the app connects as this user).')
param postgresAdminLogin string = 'madoguchi'
@secure()
@description('PostgreSQL administrator password: SECRET_POSTGRES_ADMIN_PASSWORD in env/.env.<env>.user.')
param postgresAdminPassword string

@description('Microsoft Graph and Entra hosts; national clouds use others.')
param graphBaseUrl string = 'https://graph.microsoft.com'
param entraAuthorityHost string = 'https://login.microsoftonline.com'

@description('Client id of Madoguchi\'s Entra app registration: the add-in and the ledger tab sign in to it, it reads mail on behalf of staff and sends the desk\'s mail. Production needs it (docs/sign-in.md).')
param graphClientId string
@description('Tenant of that app registration (its GUID); empty means this deployment\'s tenant.')
param graphTenantId string = ''
@description('The Teams app\'s id (teamsApp/create writes TEAMS_APP_ID): cards link to the ledger tab with it.')
param teamsAppId string = ''
@description('Address of the desk\'s shared mailbox that answers are sent from; empty runs without sending mail.')
param deskMailbox string = ''
@secure()
@description('Client secret of the mail app: SECRET_GRAPH_CLIENT_SECRET in env/.env.<env>.user. Empty leaves a placeholder in Key Vault.')
param graphClientSecret string = ''

var webAppName = resourceBaseName
var databaseName = 'madoguchi'
// Key Vault names are global, 3–24 characters, letters, digits and hyphens.
var keyVaultName = '${take(replace(resourceBaseName, '-', ''), 9)}kv${uniqueString(resourceGroup().id, resourceBaseName)}'
var mailEnabled = !empty(deskMailbox)
// Built-in role "Key Vault Secrets User": read secret values.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// --- Identity -----------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-bot'
  location: location
}

// --- Key Vault (RBAC) ---------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource identityReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
    contentType: 'PostgreSQL connection URL'
  }
}

resource graphClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'graph-client-secret'
  properties: {
    // Until the real secret is given, a placeholder: Graph refuses it and the app says so.
    value: empty(graphClientSecret) ? 'placeholder-set-SECRET_GRAPH_CLIENT_SECRET' : graphClientSecret
    contentType: 'Client secret of the mail app registration'
  }
}

// --- PostgreSQL flexible server ----------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    createMode: 'Default'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: 32
      autoGrow: 'Disabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Japanese search uses pg_trgm; Azure only lets a database create allow-listed extensions.
resource allowExtensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: postgres
  name: 'azure.extensions'
  properties: {
    value: 'pg_trgm'
    source: 'user-override'
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  // One change at a time on a flexible server.
  dependsOn: [allowExtensions]
}

// 0.0.0.0–0.0.0.0 is Azure's rule for "services inside Azure" (the App Service).
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [database]
}

// --- App Service --------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: 'B1'
    tier: 'Basic'
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm run start:prod'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

var publicBaseUrl = 'https://${webApp.properties.defaultHostName}'
var keyVaultRef = 'SecretUri=${keyVault.properties.vaultUri}secrets'

var coreSettings = {
  MADOGUCHI_MODE: 'production'
  LOG_LEVEL: logLevel
  PUBLIC_BASE_URL: publicBaseUrl
  DATABASE_URL: '@Microsoft.KeyVault(${keyVaultRef}/${databaseUrlSecret.name}/)'
  BOT_ID: identity.properties.clientId
  BOT_TENANT_ID: identity.properties.tenantId
  BOT_MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
  ROLE_FIRST_LINE: roleFirstLine
  ROLE_SPECIALIST: roleSpecialist
  ROLE_SUPERVISOR: roleSupervisor
  GRAPH_BASE_URL: graphBaseUrl
  ENTRA_AUTHORITY_HOST: entraAuthorityHost
  // Sign-in to the API (the add-in and the ledger tab) needs the app registration always.
  GRAPH_TENANT_ID: empty(graphTenantId) ? tenant().tenantId : graphTenantId
  GRAPH_CLIENT_ID: graphClientId
  TEAMS_APP_ID: teamsAppId
  // Oryx installs and builds on App Service, so native modules are built for Linux.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
}

// Any one sending setting turns mail on and then all are required, so they come together.
var mailSettings = mailEnabled
  ? {
      GRAPH_CLIENT_SECRET: '@Microsoft.KeyVault(${keyVaultRef}/${graphClientSecretSecret.name}/)'
      DESK_MAILBOX: deskMailbox
    }
  : {}

resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(coreSettings, mailSettings)
  // The identity must be able to read the secrets before App Service resolves the references.
  dependsOn: [identityReadsSecrets]
}

// --- Azure Bot ----------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: '${publicBaseUrl}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// --- Outputs: written back to env/.env.<env> by the provision step -------------

output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output PUBLIC_BASE_URL string = publicBaseUrl
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output KEY_VAULT_NAME string = keyVault.name
output POSTGRES_HOST string = postgres.properties.fullyQualifiedDomainName
