import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * ISO 4217 codes of the currencies in circulation (list of 2025, SIX Group), without fund,
 * precious-metal and testing codes (BOV, XAU, XTS, XXX…): no purchase is paid in those.
 */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(
  `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
   CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
   GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
   LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
   NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD
   SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF
   XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL`.split(/\s+/),
);

export const IsCurrencyCode = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCurrencyCode',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && CURRENCY_CODES.has(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO 4217 currency code such as USD`,
      },
    },
    options,
  );
