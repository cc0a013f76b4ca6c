/// Encrypted PEMs made by the OpenSSL 3.0 command line (see PEMTests.openSSLMadePEMs).
enum PEMFixtures {
    static let openSSLMade: [(pem: String, raw: String)] = [
        ("""
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAj2jyPEo6ShiAICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEENgON2S05wMnKaxcHQNs96oEQJcc
        MP6jPWWbhgnvzzUURftE5iZCk8Cbw+MimUV9VS832fuGXl2G4LoTiRXYp3vFlE78
        31Uqc4UiJpPGkJssjII=
        -----END ENCRYPTED PRIVATE KEY-----
        """, "b8190597dfb733b826973e6441674dab9782a3738a743c5d8ad772bfaf432d75"),
        ("""
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIGTME8GCSqGSIb3DQEFDTBCMCEGCSsGAQQB2kcECzAUBAjvUo90TKO9bwICQAAC
        AQgCAQEwHQYJYIZIAWUDBAEqBBCHJweV1EOzcXiwSl+tc6cPBECy9HQpiIuj9h3U
        pVemtPtdXMo5hi++H502YE9N10VS2AemILmgu3LkdwUYb12pmP8EyIuoDCP2t52C
        yJQ+wYfa
        -----END ENCRYPTED PRIVATE KEY-----
        """, "b8190597dfb733b826973e6441674dab9782a3738a743c5d8ad772bfaf432d75"),
    ]
}
