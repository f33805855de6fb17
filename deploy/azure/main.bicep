// dps-jwt-allocator from an empty resource group (docs/azure.md):
//   IoT hub(s) and a DPS with them linked; a storage account holding the registry blob, which the webhook's managed
//   identity may read and nothing else; Log Analytics and Application Insights; and the webhook, either as a
//   Functions app running the native custom handler (Linux) or as a Container App running the native image.
// Secrets are generated or passed as @secure parameters; no output holds one.
//
//   az deployment group create -g <rg> -f deploy/azure/main.bicep -p hosting=containerapp \
//     containerImage=<registry>.azurecr.io/dps-jwt-allocator:1.0.0 callerKey=<a long random string>
targetScope = 'resourceGroup'

@description('Where every resource goes.')
param location string = resourceGroup().location

@description('Prefix of every resource name: 3 to 11 lower-case letters and digits.')
@minLength(3)
@maxLength(11)
param prefix string = 'dpsjwt'

@description('How the webhook runs: the Functions custom handler (native binary, deployed afterwards as a zip) or a Container App (native image).')
@allowed(['functions', 'containerapp'])
param hosting string = 'functions'

@description('Container App only: the native image, e.g. <registry>.azurecr.io/dps-jwt-allocator:1.0.0 (a public image, or one the app can pull).')
param containerImage string = ''

@description('Container App only, required there: the key DPS presents as ?code= (ALLOCATOR_CALLER_KEYS), e.g. from openssl rand -hex 32. Functions generates its own function key.')
@secure()
param callerKey string = ''

@description('How many IoT hubs to create and link to the DPS.')
@minValue(1)
@maxValue(10)
param hubCount int = 1

@description('The IoT hubs\' SKU and units.')
param hubSku string = 'S1'

@description('Blob container and name of the registry (the export format dps-device writes).')
param registryContainer string = 'registry'
param registryBlob string = 'registry.json'

var suffix = uniqueString(resourceGroup().id, prefix)
var storageName = take('${prefix}${suffix}', 24)
// the Functions host's own storage (keys, leases) is an account of its own: the registry's account holds no key the app knows
var hostStorageName = take('${prefix}host${suffix}', 24)
var registryUrl = 'https://${storageName}.blob.${environment().suffixes.storage}/${registryContainer}/${registryBlob}'
var blobDataReader = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource hubs 'Microsoft.Devices/IotHubs@2023-06-30' = [for i in range(0, hubCount): {
  name: '${prefix}-hub${i}-${suffix}'
  location: location
  sku: { name: hubSku, capacity: 1 }
  properties: {}
}]

resource dps 'Microsoft.Devices/provisioningServices@2022-12-12' = {
  name: '${prefix}-dps-${suffix}'
  location: location
  sku: { name: 'S1', capacity: 1 }
  properties: {
    iotHubs: [for i in range(0, hubCount): {
      connectionString: 'HostName=${hubs[i].properties.hostName};SharedAccessKeyName=iothubowner;SharedAccessKey=${hubs[i].listkeys().value[0].primaryKey}'
      location: location
    }]
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: registryContainer
  properties: { publicAccess: 'None' }
}

// --- the webhook as a Functions app: the native custom handler on Linux (consumption plan) ---

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = if (hosting == 'functions') {
  name: hostStorageName
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = if (hosting == 'functions') {
  name: '${prefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { name: 'Y1', tier: 'Dynamic' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2023-12-01' = if (hosting == 'functions') {
  name: '${prefix}-func-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: ''
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'AzureWebJobsStorage', value: 'DefaultEndpointsProtocol=https;AccountName=${hostStorage.name};AccountKey=${hostStorage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}' }
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        // the webhook reads the registry with the app's managed identity (no key in the setting)
        { name: 'ALLOCATOR_REGISTRY_BLOB_URL', value: registryUrl }
      ]
    }
  }
}

// --- or as a Container App running the native image ---

resource managedEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = if (hosting == 'containerapp') {
  name: '${prefix}-env-${suffix}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

resource containerApp 'Microsoft.App/containerApps@2024-03-01' = if (hosting == 'containerapp') {
  name: '${prefix}-app-${suffix}'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    managedEnvironmentId: managedEnvironment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 8080
        transport: 'http'
        allowInsecure: false
      }
      secrets: [
        { name: 'caller-keys', value: callerKey }
      ]
    }
    template: {
      containers: [
        {
          name: 'webhook'
          image: containerImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'ALLOCATOR_CALLER_KEYS', secretRef: 'caller-keys' }
            { name: 'ALLOCATOR_REGISTRY_BLOB_URL', value: registryUrl }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/q/health/live', port: 9000 }, periodSeconds: 10 }
            { type: 'Readiness', httpGet: { path: '/q/health/ready', port: 9000 }, periodSeconds: 5 }
            { type: 'Startup', httpGet: { path: '/q/health/ready', port: 9000 }, periodSeconds: 2, failureThreshold: 60 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 10 }
    }
  }
}

// The webhook's identity may read the registry container, and only that.
resource registryReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, hosting, blobDataReader)
  scope: container
  properties: {
    roleDefinitionId: blobDataReader
    principalId: hosting == 'functions' ? functionApp.identity.principalId : containerApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The webhook URL for the enrollment, without its key: add ?code=<function key> (Functions) or ?code=<callerKey> (Container App).')
output webhookUrl string = 'https://${hosting == 'functions' ? functionApp.properties.defaultHostName : containerApp.properties.configuration.ingress.fqdn}/api/validatejwt'

@description('The DPS ID scope devices register with.')
output dpsIdScope string = dps.properties.idScope

output dpsName string = dps.name
output hubHostNames array = [for i in range(0, hubCount): hubs[i].properties.hostName]
output functionAppName string = hosting == 'functions' ? functionApp.name : ''
output registryBlobUrl string = registryUrl
output storageAccountName string = storage.name
